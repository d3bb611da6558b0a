// <logs dir>/hack.log entries for suspected login hacks (SMTP-77, SMTP-79,
// POP3-43), in the original's shape with CRLF line ends and a blank line
// after each entry:
//   SUSPECTED <reason> HACK ATTEMPT for user '<name>' on <date>
//   Using port <client-port> at <host> [<ip>]
//   Details: ********
// Unlike the original, the attempted password is never written: Details is
// masked when one was tried and omitted when none was.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <string>

namespace sbbs {

struct HackAttempt {
    std::string reason;        // "SMTP LOGIN", "POP3 LOGIN" (FailureVerdict::hack_reason)
    std::string user;
    std::string date;          // in the system's date/time format (as spam.log)
    uint16_t port = 0;         // the client's port
    std::string host;          // host name or "<no name>"
    std::string ip;
    bool password_given = false;
};

std::string hack_log_entry(const HackAttempt& a);
// Appends to <logs_dir>hack.log (`logs_dir` ends in '/').
Status append_hack_log(const std::string& logs_dir, const HackAttempt& a);

} // namespace sbbs
