// The log's std::tm view of util's platform local time.
#include "log/local_time.h"

#include "util/platform_clock.h"

namespace sbbs {

std::tm local_time(std::time_t t) {
    const os::LocalTime lt = os::local_time(t);
    std::tm out{};
    if (lt.year == 0) return out;                 // the platform could not convert t
    out.tm_year = lt.year - 1900;
    out.tm_mon = lt.month - 1;
    out.tm_mday = lt.day;
    out.tm_hour = lt.hour;
    out.tm_min = lt.minute;
    out.tm_sec = lt.second;
    out.tm_wday = lt.weekday;
    return out;
}

} // namespace sbbs
