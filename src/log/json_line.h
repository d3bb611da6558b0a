// One log event as a JSON object on one line (issue #17 item 5, `[Mail]
// LogJSON`): the same events as mail.log, split into fields a log shipper
// can index without parsing the original's console shapes.
#pragma once

#include "log/log_level.h"

#include <ctime>
#include <string>
#include <string_view>

namespace sbbs {

// {"time":"2026-12-08T01:02:03Z","level":"notice","session":4,
//  "protocol":"SMTP","client":"127.0.0.2","text":"..."} and a newline.
// `text` is what a Logger receives ("0004 SMTP  [127.0.0.2] ..."): the
// session number, protocol and [client ip] are taken from its front when it
// has that shape, and left out otherwise. Bytes that are not UTF-8 become
// U+FFFD, control characters \u escapes: a client can never break the line.
std::string json_log_line(LogLevel level, std::string_view text, std::time_t when);

const char* level_name(LogLevel level);

} // namespace sbbs
