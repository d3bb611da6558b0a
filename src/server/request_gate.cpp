// The sessions' request gate (see request_gate.h).
#include "server/request_gate.h"

#include "spam/auto_filter.h"

#include <ctime>

namespace sbbs {

RequestGate request_gate(RequestRateLimiter& limiter, ConfigPtr cfg, CachedPatternList* exempt,
                         std::string protocol) {
    return [&limiter, cfg = std::move(cfg), exempt,
            protocol = std::move(protocol)](const std::string& ip, const std::string& host) -> std::optional<RateRefusal> {
        const MailSettings& m = cfg->mail;
        if (m.max_requests_per_period == 0 || m.request_rate_limit_period_s == 0) return std::nullopt;
        if (exempt && exempt->contains(ip, host)) return std::nullopt;               // SMTP-52
        const std::time_t now = std::time(nullptr);
        auto denied = limiter.request(ip, m.rate_limit, m.max_requests_per_period, m.request_rate_limit_period_s, now);
        if (!denied) return std::nullopt;
        RateRefusal r{denied->key, m.max_requests_per_period, m.request_rate_limit_period_s, std::nullopt};
        r.blocked = spam::filter_rate_limited(spam::AntiSpamPaths::of(*cfg), m.rate_limit, *denied, ip, host,
                                              protocol, now);                          // SMTP-54
        return r;
    };
}

} // namespace sbbs
