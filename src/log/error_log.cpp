// Appending error-level lines to error.log.
#include "log/error_log.h"

#include "log/local_time.h"

#include <cstdio>

namespace sbbs {

std::string ctime_text(std::time_t when) {
    const std::tm tm = local_time(when);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
    return buf;
}

ErrorLogFile::ErrorLogFile(std::string logs_dir, std::string build, std::string host_name,
                           std::function<std::time_t()> clock)
    : path_(std::move(logs_dir) + "error.log"), build_(std::move(build)), host_(std::move(host_name)),
      clock_(std::move(clock)) {}

void ErrorLogFile::log(LogLevel level, std::string_view text) {
    if (!enabled(level)) return;
    const std::string entry =
        ctime_text(clock_()) + " " + build_ + " " + host_ + "\r\nmail " + std::string(text) + "\r\n\r\n";
    std::lock_guard lock(mutex_);
    // Opened per entry like the original, so the sysop may delete or move
    // the file at any time; errors are rare enough for that to cost nothing.
    if (std::FILE* f = std::fopen(path_.c_str(), "ab")) {
        std::fwrite(entry.data(), 1, entry.size(), f);
        std::fclose(f);
    }
}

} // namespace sbbs
