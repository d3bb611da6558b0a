// Interim Logger: lines to a stdio stream (stderr) with the original's
// console prefix "MM/DD HH:MM:SS mail " (SMTP-251), filtered by LogLevel.
// Replaced by src/log's terminal+file logger once that lands.
#pragma once

#include "log/logger.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace sbbs {

class ConsoleLogger : public Logger {
public:
    explicit ConsoleLogger(std::FILE* out = stderr, LogLevel level = LogLevel::Debug)
        : out_(out), level_(static_cast<int>(level)) {}
    void log(LogLevel level, std::string_view text) override;
    bool enabled(LogLevel level) const override { return static_cast<int>(level) <= level_.load(); }
    void set_level(LogLevel level) { level_.store(static_cast<int>(level)); }

private:
    std::FILE* out_;
    std::atomic<int> level_;
    std::mutex mutex_;
};

} // namespace sbbs
