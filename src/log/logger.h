// Where log lines go: the terminal, data/logs/, a test's capture. Thread-safe.
#pragma once

#include "log/log_level.h"

#include <string>
#include <string_view>

namespace sbbs {

class Logger {
public:
    virtual ~Logger() = default;
    // `text` is one complete line without a line ending, already prefixed by
    // the caller's context (e.g. "SMTP 0003 [127.0.0.2] ...").
    virtual void log(LogLevel level, std::string_view text) = 0;
    virtual bool enabled(LogLevel level) const = 0;
};

} // namespace sbbs
