// The failed-login table (SMTP-26, SMTP-33, SMTP-77, SMTP-78, POP3-16/17,
// POP3-41..46): per client IP the protocol, last user name, a digest of the
// last password, the attempt count, how many were consecutive duplicates
// and when the first and last failures were. Shared by SMTP, POP3 and the
// submission ports, kept in the state database; safe to call from every
// session thread at once. Decisions come back to the caller, which owns the
// sockets and files (the reply delay, hack.log, text/ip.can).
#pragma once

#include "config/settings.h"
#include "state/clock.h"
#include "state/database.h"
#include "util/result.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

struct LoginAttempt {
    std::string ip;
    std::string protocol;     // of the last failure: SMTP, SMTPS, POP3, POP3S
    std::string user;         // last attempted name, as typed
    uint32_t count = 0;       // every counted failure
    uint32_t dupes = 0;       // consecutive repeats of the same name and password
    int64_t first = 0;        // time of the first failure
    int64_t last = 0;         // time of the latest failure

    // What the thresholds compare against.
    uint32_t unique() const { return count - dupes; }
    // The name text/name.can is checked with: before any '@'.
    std::string name_for_filter() const { return user.substr(0, user.find('@')); }
};

// What a counted failure means (SMTP-77, POP3-43).
struct FailureVerdict {
    LoginAttempt attempt;             // the record after this failure
    uint32_t failures = 0;            // unique failures
    bool report = false;              // log "!N FAILED LOGIN ATTEMPTS in <duration>"
    bool hack = false;                // append to hack.log
    bool filter = false;              // append the IP to text/ip.can
    uint32_t filter_duration_s = 0;   // expiry of that ip.can line (0 = permanent)
    std::chrono::milliseconds reply_delay{0};  // wait before the error reply

    // "!5 FAILED LOGIN ATTEMPTS in 1.5 minutes" (log text after the client id)
    std::string report_text() const;
    // "5 FAILED LOGIN ATTEMPTS in 1.5m" (ip.can r= reason)
    std::string filter_reason() const;
    // hack.log reason: "<PROT> LOGIN"
    std::string hack_reason() const { return attempt.protocol + " LOGIN"; }
};

// A refused connection (SMTP-26, POP3-16a).
struct TempBan {
    LoginAttempt attempt;
    int64_t remaining_s = 0;
    // "!TEMPORARY BAN (N login attempts, last: <user>) - remaining: <duration>"
    std::string log_text() const;
};

class LoginAttempts {
public:
    // Answers whether a name is listed in text/name.can.
    using NameListed = std::function<bool(std::string_view name)>;

    explicit LoginAttempts(Database& db, WallClock clock = system_seconds) : db_(db), clock_(std::move(clock)) {}

    // A counted failed login. `user` absent: the client gave none (recorded
    // as "<unspecified>"); `password` absent: none was supplied, which is
    // never a duplicate.
    Result<FailureVerdict> record_failure(const LoginAttemptSettings& settings, std::string_view ip,
                                          std::string_view protocol, std::optional<std::string_view> user,
                                          std::optional<std::string_view> password);

    // Whether a new connection from `ip` is temporarily banned. The caller
    // skips this for local and ipfilter_exempt clients (SMTP-24/25, POP3-16).
    Result<std::optional<TempBan>> temp_ban(const LoginAttemptSettings& settings, std::string_view ip,
                                            const NameListed& name_listed);

    // Pause before the greeting: unique failures x LoginAttemptThrottle once
    // there is more than one (SMTP-33, POP3-17).
    Result<std::chrono::milliseconds> throttle(const LoginAttemptSettings& settings, std::string_view ip);

    Result<std::optional<LoginAttempt>> find(std::string_view ip);
    Result<std::vector<LoginAttempt>> all();

    // A successful login with a password forgets the IP (SMTP-76, POP3-41).
    Status succeeded(std::string_view ip) { return clear(ip); }
    Status clear(std::string_view ip);
    Status clear_all();
    // The ctrl/clear[.mail] semaphore (SMTP-78, POP3-46): its first line
    // names one IP to forget, or is empty to forget everyone.
    Status clear_by_semaphore(std::string_view first_line);
    // The same, reading the semaphore file itself (a missing or unreadable
    // file clears everyone, as an empty one does).
    Status clear_by_semaphore_file(const std::string& path);

private:
    Database& db_;
    WallClock clock_;
};

// Every authentication failure reply waits LoginAttemptDelay, counted or not
// (SMTP-73, POP3-36, POP3-45).
inline std::chrono::milliseconds failure_reply_delay(const LoginAttemptSettings& s) {
    return std::chrono::milliseconds(s.delay_ms);
}

} // namespace sbbs
