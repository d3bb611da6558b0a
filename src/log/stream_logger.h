// Writes each line, stamped like the original's console, to a C stream with
// one write per line: the terminal (stderr) or a file opened by FileLogger.
#pragma once

#include "log/logger.h"

#include <cstdio>
#include <mutex>

namespace sbbs {

class StreamLogger : public Logger {
public:
    explicit StreamLogger(std::FILE* out) : out_(out) {}
    void log(LogLevel level, std::string_view text) override;
    bool enabled(LogLevel) const override { return true; }

protected:
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

// One log line as written: stamp, text (trailing blanks trimmed, control
// characters as ^X so what a client sent can never split a line), newline.
std::string stamped_line(std::string_view text);

} // namespace sbbs
