// spam.log in the logs directory (SMTP-236): one entry per refused, ignored
// or tagged message or session, in the original's shape, CRLF line ends and
// a blank line after each entry.
#pragma once

#include "spam/decision.h"
#include "util/result.h"

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

namespace sbbs::spam {

struct SpamEvent {
    std::string protocol;               // "SMTP" / "SMTPS"
    std::string action;                 // "REFUSED", "IGNORED", "IGNORED and BLOCKED", ...
    std::string reason;
    std::string host, ip;
    std::optional<std::string> to;      // the " to: ..." part, when known
    std::optional<std::string> from;    // reverse path; the host when unknown
};

// `date` is the system date/time text (log/system_time.h).
std::string spam_log_entry(const SpamEvent& e, const std::string& date);
Status append_spam_log(const std::string& logs_dir, const SpamEvent& e, uint32_t sys_settings, std::time_t now);
// Appends `e` for the session's client (protocol, host and IP filled in);
// a failure to write becomes an ERROR note of `d`.
void log_spam_event(const std::string& logs_dir, uint32_t sys_settings, const SessionInfo& s, SpamEvent e,
                    Decision& d);

} // namespace sbbs::spam
