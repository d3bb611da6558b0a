// The failed-login list as POP3 uses it (pop3.md section 6): shared with SMTP
// and keyed by client IP. The `logstate` module's list implements it (or an
// adapter does); tests use a small double.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace sbbs {

class LoginAttemptLog {
public:
    struct Failure {
        unsigned count = 0;      // failures from this IP, this one included
        time_t first = 0;        // time of the first of them
        time_t last = 0;
        bool report = false;     // log "!<count> FAILED LOGIN ATTEMPTS in <duration>"
        std::vector<std::string> notes;   // more log lines: "!BLOCKING IP ADDRESS: ..."
    };
    struct FailedLogin {         // one failure as the session saw it
        std::string ip, protocol, user, password, host;
        uint16_t port = 0;       // the client's port
    };
    struct Ban {
        unsigned attempts = 0;
        std::string last_user;
        unsigned remaining_s = 0;
    };
    virtual ~LoginAttemptLog() = default;
    // Failures recorded for `ip` (POP3-17 throttling).
    virtual unsigned attempts(const std::string& ip) = 0;
    // A temporary ban in force for `ip` (POP3-44), if any.
    virtual std::optional<Ban> banned(const std::string& ip) = 0;
    // Count one failure (POP3-42); the password is kept only in memory.
    virtual Failure record_failure(const FailedLogin& attempt) = 0;
    // A successful login with a password clears the IP's record (POP3-41).
    virtual void record_success(const std::string& ip) = 0;
};

} // namespace sbbs
