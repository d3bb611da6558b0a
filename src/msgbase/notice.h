// Warnings the message-base code has for the sysop's log (it has no logger
// of its own): the server points the sink at its log once at start.
#pragma once

#include <functional>
#include <string>

namespace sbbs::smb {

using NoticeSink = std::function<void(const std::string& line)>;

// Replaces the sink (none at start: notices go to stderr).
void set_notice_sink(NoticeSink sink);
// One line, e.g. "data/mail.updating: disk full, ...".
void notice(const std::string& line);

} // namespace sbbs::smb
