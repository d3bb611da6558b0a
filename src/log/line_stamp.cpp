// Console-style time stamp of a log line.
#include "log/line_stamp.h"

#include "log/local_time.h"

#include <cstdio>

namespace sbbs {

namespace {

std::string format_stamp(std::time_t when) {
    const std::tm tm = local_time(when);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%d/%d %02d:%02d:%02d mail ", tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

} // namespace

// A session writes several lines a second: the local time conversion and
// its formatting are done once per second per thread, not once per line.
void append_console_stamp(std::string& out, std::time_t when) {
    thread_local std::time_t last = -1;
    thread_local std::string stamp;
    if (when != last) {
        stamp = format_stamp(when);
        last = when;
    }
    out += stamp;
}

std::string console_stamp(std::time_t when) {
    std::string out;
    append_console_stamp(out, when);
    return out;
}

} // namespace sbbs
