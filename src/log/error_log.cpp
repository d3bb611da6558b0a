// Appending error-level lines to error.log.
#include "log/error_log.h"

#include "log/local_time.h"
#include "log/printable_text.h"

#include <cstdio>

namespace sbbs {

std::string ctime_text(std::time_t when) {
    // Spelled out rather than strftime: ctime's names never follow the
    // locale, and MinGW's strftime lacks %e.
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::tm tm = local_time(when);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s %s %2d %02d:%02d:%02d %d", kDays[tm.tm_wday % 7], kMonths[tm.tm_mon % 12],
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
    return buf;
}

ErrorLogFile::ErrorLogFile(std::string logs_dir, std::string build, std::string host_name,
                           std::function<std::time_t()> clock)
    : path_(std::move(logs_dir) + "error.log"), build_(std::move(build)), host_(std::move(host_name)),
      clock_(std::move(clock)) {}

void ErrorLogFile::log(LogLevel level, std::string_view text) {
    if (!enabled(level)) return;
    const std::string entry =
        ctime_text(clock_()) + " " + build_ + " " + host_ + "\r\nmail " + printable(text) + "\r\n\r\n";
    std::lock_guard lock(mutex_);
    // Opened per entry like the original, so the sysop may delete or move
    // the file at any time; errors are rare enough for that to cost nothing.
    if (std::FILE* f = std::fopen(path_.c_str(), "ab")) {
        std::fwrite(entry.data(), 1, entry.size(), f);
        std::fclose(f);
    }
}

} // namespace sbbs
