// Counting failed logins per client IP (SMTP-26, SMTP-77, SMTP-78). The
// process-wide table lives in src/state (LoginAttempts); this small interface
// lets the SMTP session record failures and ask about bans without depending
// on how they are kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sbbs::smtp {

struct FailedLogin {
    std::string ip;
    std::string protocol;   // "SMTP" / "SMTPS"
    std::string user;       // the attempted login name
    std::string password;   // for duplicate detection only; never logged by us
    std::string host;       // the client's host name or "<no name>" (hack.log, ip.can)
    uint16_t port = 0;      // the client's port (hack.log)
};

// What a recorded failure means to the session's log.
struct FailureReport {
    unsigned failures = 0;           // unique failures of the IP so far
    std::string span;                // "1.5 minutes": first to latest failure
    std::vector<std::string> notes;  // e.g. "!BLOCKING IP ADDRESS: <ip> in <path>"
};

class LoginAttemptLog {
public:
    virtual ~LoginAttemptLog() = default;
    virtual FailureReport record_failure(const FailedLogin& attempt) = 0;
    // Unique failures recorded for `ip` (greeting throttle, SMTP-33).
    virtual unsigned failures(const std::string& ip) = 0;
    // SMTP-26: the log text of a temporary ban in force for the client
    // ("!TEMPORARY BAN (...) - remaining: ..."); none for an exempt client.
    virtual std::optional<std::string> temp_ban(const std::string& ip, const std::string& host) = 0;
    // A successful login clears the IP's record (SMTP-76).
    virtual void clear(const std::string& ip) = 0;
};

} // namespace sbbs::smtp
