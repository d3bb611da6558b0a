// Console-style time stamp of a log line.
#include "log/line_stamp.h"

#include "log/local_time.h"

#include <cstdio>

namespace sbbs {

std::string console_stamp(std::time_t when) {
    const std::tm tm = local_time(when);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%d/%d %02d:%02d:%02d mail ", tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

} // namespace sbbs
