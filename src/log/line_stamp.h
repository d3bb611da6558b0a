// The prefix the original's console front end writes before every mail
// server line: "<month>/<day> HH:MM:SS mail " (SMTP-251), shared by the
// terminal and the log file so both read the same.
#pragma once

#include <ctime>
#include <string>

namespace sbbs {

std::string console_stamp(std::time_t when);
// The same stamp appended to `out` (no string of its own per line).
void append_console_stamp(std::string& out, std::time_t when);

} // namespace sbbs
