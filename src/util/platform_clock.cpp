// Clock helpers that standard C covers on every platform (see platform_clock.h).
#include "util/platform_clock.h"

#include <cstring>
#include <ctime>

namespace sbbs::os {

time_t local_to_time(int y, int mo, int d, int h, int mi, int s) {
    struct tm tm;
    std::memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    time_t t = ::mktime(&tm);
    return t < 0 ? 0 : t;
}

} // namespace sbbs::os
