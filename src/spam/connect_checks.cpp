// Connection-time checks before the greeting (SMTP-24..SMTP-30), in the
// original's order: spamblock.cfg, then ip.can, then host.can. The failed-login
// ban (SMTP-26) and the DNSBL (SMTP-31) slot in around them later.
#include "spam/anti_spam.h"


namespace sbbs::spam {

namespace {

Decision refuse_client(std::string text) { return Decision::refuse(550, "5.7.1", std::move(text), true); }

} // namespace

bool AntiSpam::spam_block_exempt(const SessionInfo& s) const {                     // CFG-138
    return spam_block_exempt_.get()->contains(s.ip, s.host);
}

Decision AntiSpam::on_connect(const SessionInfo& s) {
    if (s.ip == s.server_ip) return {};                                             // SMTP-24
    if (ipfilter_exempt_.contains(s.ip, s.host)) return {};                          // SMTP-25
    return connect_block(s);
}

Decision AntiSpam::connect_block(const SessionInfo& s) {
    // ours (SMTP-29): an expired spamblock.cfg line no longer blocks, so
    // SpamBlockDuration takes effect; SMTP-28: the IP alone is matched.
    if (!spam_block_exempt(s) && spam_block_.contains(s.ip)) {                      // SMTP-27
        return refuse_client("CLIENT IP ADDRESS BLOCKED: " + s.ip)
            .note(LogLevel::Notice, "!CLIENT BLOCKED in " + spam_block_.path() + " (" +
                                        std::to_string(++spam_blocked_) + " total)");
    }
    if (auto e = ip_can_.find(s.ip)) {                                              // SMTP-30
        Decision d = refuse_client("CLIENT IP ADDRESS BLOCKED: " + s.ip);
        ++ip_filtered_;
        if (!e->quiet())                                                            // SMTP-231
            d.note(LogLevel::Notice, "!CLIENT BLOCKED in " + ip_can_.path() + " " + entry_details(*e) + " (" +
                                         std::to_string(ip_filtered_) + " total)");
        return d;
    }
    if (auto e = host_can_.find(s.host)) {                                          // SMTP-30, SMTP-228
        Decision d = refuse_client("CLIENT HOSTNAME BLOCKED: " + s.host);
        ++host_filtered_;
        if (!e->quiet())
            d.note(LogLevel::Notice, "!CLIENT BLOCKED in " + host_can_.path() + ": " + s.host + " " +
                                         entry_details(*e) + " (" + std::to_string(host_filtered_) + " total)");
        return d;
    }
    return {};
}

} // namespace sbbs::spam
