// Local-time formatting for Received headers and SENDERTIME (see received.h).
#include "smtp/received.h"

#include <cstdio>

namespace sbbs::smtp {

int local_utc_offset_minutes(time_t t) {
    struct tm lt {};
#ifdef _WIN32
    localtime_s(&lt, &t);
    struct tm gt {};
    gmtime_s(&gt, &t);
    return int((mktime(&lt) - mktime(&gt)) / 60);
#else
    localtime_r(&t, &lt);
    return int(lt.tm_gmtoff / 60);
#endif
}

static std::string zone_text(time_t t) {
    int off = local_utc_offset_minutes(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%c%02d%02d", off < 0 ? '-' : '+', (off < 0 ? -off : off) / 60,
                  (off < 0 ? -off : off) % 60);
    return buf;
}

static struct tm local(time_t t) {
    struct tm lt {};
#ifdef _WIN32
    localtime_s(&lt, &t);
#else
    localtime_r(&t, &lt);
#endif
    return lt;
}

std::string rfc822_date(time_t t) {
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm lt = local(t);
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s, %d %s %d %02d:%02d:%02d ", days[lt.tm_wday], lt.tm_mday,
                  months[lt.tm_mon], lt.tm_year + 1900, lt.tm_hour, lt.tm_min, lt.tm_sec);
    return buf + zone_text(t);
}

std::string compact_iso_time(time_t t) {
    struct tm lt = local(t);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d", lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday,
                  lt.tm_hour, lt.tm_min, lt.tm_sec);
    return buf + zone_text(t);
}

} // namespace sbbs::smtp
