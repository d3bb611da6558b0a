// The system's date/time display format.
#include "log/system_time.h"

#include "log/local_time.h"

#include <cstdio>

namespace sbbs {

std::string system_time_text(const std::tm& tm, uint32_t sys_settings) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const char* day = kDays[tm.tm_wday % 7];
    const char* mon = kMonths[tm.tm_mon % 12];
    char buf[64];
    if (sys_settings & kSysMilitaryTime) {
        std::snprintf(buf, sizeof buf, "%s %s %02d %4d %02d:%02d:%02d", day, mon, tm.tm_mday, 1900 + tm.tm_year,
                      tm.tm_hour, tm.tm_min, tm.tm_sec);
    } else {
        const int hour12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
        std::snprintf(buf, sizeof buf, "%s %s %02d %4d %02d:%02d %s", day, mon, tm.tm_mday, 1900 + tm.tm_year,
                      hour12, tm.tm_min, tm.tm_hour >= 12 ? "pm" : "am");
    }
    return buf;
}

std::string system_time_text(std::time_t when, uint32_t sys_settings) {
    return system_time_text(local_time(when), sys_settings);
}

} // namespace sbbs
