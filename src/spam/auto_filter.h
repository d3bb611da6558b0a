// What the failed-login and request-rate counters lead to on disk, shared by
// SMTP and POP3: hack.log entries (SMTP-77, SMTP-79, POP3-43) and the IP (or
// subnet) appended to text/ip.can or ip-silent.can (SMTP-54, SMTP-77,
// POP3-43, POP3-58). The counting itself is src/state's.
#pragma once

#include "config/settings.h"
#include "spam/anti_spam.h"
#include "state/login_attempts.h"
#include "state/request_rate.h"

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace sbbs::spam {

// The client of a failed login as the session knows it.
struct LoginClient {
    std::string ip, host, protocol;   // host: "<no name>" when unknown
    uint16_t port = 0;                // the client's
    std::string user;                 // as typed ("" = none given)
    bool password_given = false;
};

// Appends to hack.log and ip.can as `v` says; the log lines that go with
// it ("!BLOCKING IP ADDRESS: <ip> in <path>") come back.
std::vector<std::string> act_on_failed_login(const AntiSpamPaths& paths, const FailureVerdict& v,
                                             const LoginClient& c, std::time_t now);

// The rate-limit auto-filter (SMTP-54) for one denial: the subnet, or the IP
// when too few of the subnet's IPs were denied, goes to ip.can (ip-silent.can
// with RateLimitFilterSilent). The log line when something was appended.
std::optional<std::string> filter_rate_limited(const AntiSpamPaths& paths, const RateLimitSettings& rl,
                                               const RateDenial& d, const std::string& ip,
                                               const std::string& host, const std::string& protocol,
                                               std::time_t now);

} // namespace sbbs::spam
