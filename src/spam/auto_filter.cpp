// hack.log and the automatic ip.can lines (see auto_filter.h).
#include "spam/auto_filter.h"

#include "log/hack_log.h"
#include "log/system_time.h"
#include "spam/block_list.h"

#include <algorithm>

namespace sbbs::spam {

namespace {

// The original's filter_ip(): never an ipfilter_exempt.cfg client (IP or
// host), never a second line for an address already listed.
bool filter_ip(const AntiSpamPaths& paths, const std::string& list, const BlockRequest& r, std::time_t now) {
    PatternList exempt = PatternList::load(paths.ctrl + "ipfilter_exempt.cfg", nullptr);
    auto added = add_blocked_ip(list, r, exempt, now);
    return added.ok() && *added;
}

} // namespace

std::vector<std::string> act_on_failed_login(const AntiSpamPaths& paths, const FailureVerdict& v,
                                             const LoginClient& c, std::time_t now) {
    std::vector<std::string> notes;
    if (v.hack) {                                                                    // SMTP-79, POP3-43
        HackAttempt h;
        h.reason = v.hack_reason();
        h.user = c.user.empty() ? "<unspecified>" : c.user;   // the original's name for none
        h.date = system_time_text(now, paths.sys_settings);
        h.port = c.port;
        h.host = c.host;
        h.ip = c.ip;
        h.password_given = c.password_given;
        (void)append_hack_log(paths.logs, h);
    }
    if (v.filter) {                                                                  // SMTP-77, POP3-43
        const std::string ip_can = paths.text + "ip.can";
        BlockRequest r{c.ip, c.host, c.protocol, v.filter_reason(), c.user.empty() ? "<unspecified>" : c.user,
                       v.filter_duration_s};
        if (filter_ip(paths, ip_can, r, now)) notes.push_back("!BLOCKING IP ADDRESS: " + c.ip + " in " + ip_can);
    }
    return notes;
}

std::optional<std::string> filter_rate_limited(const AntiSpamPaths& paths, const RateLimitSettings& rl,
                                               const RateDenial& d, const std::string& ip,
                                               const std::string& host, const std::string& protocol,
                                               std::time_t now) {                    // SMTP-54
    if (rl.filter_threshold == 0 || d.denials < rl.filter_threshold) return std::nullopt;
    const bool subnet = d.key != ip && d.distinct_ips >= std::max<uint32_t>(1, rl.filter_subnet_threshold);
    BlockRequest r{subnet ? d.key : ip, host, protocol, std::to_string(d.denials) + " rate-limit violations", "",
                   rl.filter_duration_s};
    if (subnet) r.reason += " from " + std::to_string(d.distinct_ips) + " IPs";
    const std::string list = paths.text + (rl.filter_silent ? "ip-silent.can" : "ip.can");
    if (!filter_ip(paths, list, r, now)) return std::nullopt;
    return std::string("!BLOCKING ") + (subnet ? "SUBNET" : "IP ADDRESS") + (rl.filter_silent ? " (silently)" : "") +
           ": " + r.ip + (rl.filter_silent ? "" : " in ip.can");
}

} // namespace sbbs::spam
