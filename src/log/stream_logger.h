// Writes each line, stamped like the original's console, to a C stream with
// one write per line: the terminal (stderr) or a file opened by FileLogger.
#pragma once

#include "log/logger.h"

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace sbbs {

// One log line as written: stamp, text (trailing blanks trimmed, control
// characters as ^X so what a client sent can never split a line), newline.
std::string stamped_line(std::string_view text);

class StreamLogger : public Logger {
public:
    explicit StreamLogger(std::FILE* out) : out_(out) {}
    void log(LogLevel level, std::string_view text) override;
    bool enabled(LogLevel) const override { return true; }

protected:
    // The bytes written for one event: the console shape unless overridden.
    virtual std::string format_line(LogLevel, std::string_view text) const { return stamped_line(text); }
    // For FileLogger::reopen: swaps the stream under the write lock.
    std::FILE* exchange_stream(std::FILE* next);

private:
    mutable std::mutex mutex_;
    std::FILE* out_;
};

// The terminal: stderr, so stdout stays free for --check and --help output.
class TerminalLogger : public StreamLogger {
public:
    TerminalLogger() : StreamLogger(stderr) {}
};


} // namespace sbbs
