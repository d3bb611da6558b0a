// A problem found while reading configuration: "<file>:<line>: <problem>".
#pragma once

#include "log/log_level.h"

#include <string>
#include <vector>

namespace sbbs {

struct Diagnostic {
    LogLevel level = LogLevel::Warning;  // Error = fatal: the server must not start
    std::string file;
    int line = 0;                        // 1-based; 0 = the file as a whole
    std::string message;

    std::string text() const {
        return line > 0 ? file + ":" + std::to_string(line) + ": " + message
                        : file + ": " + message;
    }
    bool fatal() const { return level <= LogLevel::Error; }
};

using Diagnostics = std::vector<Diagnostic>;

} // namespace sbbs
