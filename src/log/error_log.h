// <logs dir>/error.log (SMTP-252): every ERROR, CRITICAL, ALERT and
// EMERGENCY line is also appended there, whatever LogLevel says, in the
// original's entry shape:
//   "<ctime, 24 chars> <build> <host>" CRLF "mail <line>" CRLF CRLF
// Put it in a TeeLogger beside (not behind) the ThresholdLogger.
#pragma once

#include "log/logger.h"

#include <ctime>
#include <functional>
#include <mutex>
#include <string>

namespace sbbs {

class ErrorLogFile : public Logger {
public:
    // `build`: what the original writes as branch/hash, e.g. "sbbsmail/0.1".
    ErrorLogFile(std::string logs_dir, std::string build, std::string host_name,
                 std::function<std::time_t()> clock = [] { return std::time(nullptr); });
    void log(LogLevel level, std::string_view text) override;
    bool enabled(LogLevel level) const override { return level <= LogLevel::Error; }
    const std::string& path() const { return path_; }

private:
    std::mutex mutex_;
    std::string path_;
    std::string build_;
    std::string host_;
    std::function<std::time_t()> clock_;
};

// "Thu Nov 26 10:30:26 2026": the C library's ctime() text without its newline.
std::string ctime_text(std::time_t when);

} // namespace sbbs
