// Keeps every line in memory so a test can assert on what was logged.
#pragma once

#include "log/logger.h"

#include <mutex>
#include <string>
#include <vector>

namespace sbbs {

struct LoggedLine {
    LogLevel level;
    std::string text;
};

class CaptureLogger : public Logger {
public:
    void log(LogLevel level, std::string_view text) override;
    bool enabled(LogLevel) const override { return true; }

    std::vector<LoggedLine> lines() const;
    // True when some line contains `fragment` (at `level`, when given).
    bool contains(std::string_view fragment) const;
    bool contains(LogLevel level, std::string_view fragment) const;
    // Everything logged, one line per entry, for failure messages.
    std::string dump() const;
    void clear();

private:
    mutable std::mutex mutex_;
    std::vector<LoggedLine> lines_;
};

} // namespace sbbs
