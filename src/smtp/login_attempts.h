// Counting failed logins per client IP (SMTP-77, SMTP-78). The process-wide
// table lives in src/state (LoginAttempts); this small interface lets the
// SMTP session record failures without depending on how they are kept.
#pragma once

#include <string>

namespace sbbs::smtp {

struct FailedLogin {
    std::string ip;
    std::string protocol;   // "SMTP" / "SMTPS"
    std::string user;       // the attempted login name
    std::string password;   // for duplicate detection only; never logged by us
};

class LoginAttemptLog {
public:
    virtual ~LoginAttemptLog() = default;
    // Records a failure; returns the IP's number of unique failures so far.
    virtual unsigned record_failure(const FailedLogin& attempt) = 0;
    // Unique failures recorded for `ip` (greeting throttle, SMTP-33).
    virtual unsigned failures(const std::string& ip) = 0;
    // A successful login clears the IP's record (SMTP-76).
    virtual void clear(const std::string& ip) = 0;
};

} // namespace sbbs::smtp
