// Syslog-style severities used by LogLevel keys and every log line (CFG-29).
#pragma once

namespace sbbs {

enum class LogLevel : int {
    Emergency = 0, Alert = 1, Critical = 2, Error = 3,
    Warning = 4, Notice = 5, Info = 6, Debug = 7,
};

} // namespace sbbs
