// The Date: header from an SMB when_t (POP3-83 item 3, FMT-24, FMT-27).
#include "mailfmt/render_parts.h"

#include <charconv>
#include <cstdlib>
#include <ctime>

namespace sbbs::render {

namespace {
const char* const DAYS[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
const char* const MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr uint32_t PACKED_MASK = 0x03FFFFFF;   // bits 0..25 (FMT-24)

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12).
long days_from_civil(long y, unsigned m, unsigned d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = unsigned(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + long(doe) - 719468;
}

struct Clock { int year, mon, mday, wday, hour, min, sec; };

// Normalise broken-down wall-clock fields the way mktime + localtime would.
Clock from_seconds(long long t) {
    long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    long long rem = t - days * 86400;
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = unsigned(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    long long y = yoe + era * 400 + (m <= 2);
    int wday = int(((days % 7) + 11) % 7);      // 1970-01-01 was a Thursday
    return {int(y), int(m), int(d), wday, int(rem / 3600), int(rem % 3600 / 60), int(rem % 60)};
}

// printf's "%0<width>d": zeros after the sign up to `width` characters.
void append_number(std::string& out, long long v, int width) {
    char buf[24];
    char* end = std::to_chars(buf, buf + sizeof buf, v < 0 ? -v : v).ptr;
    int digits = int(end - buf) + (v < 0);
    if (v < 0) out += '-';
    if (digits < width) out.append(size_t(width - digits), '0');
    out.append(buf, end);
}

Clock local_clock(time_t t) {
    std::tm tm{};
#ifdef _WIN32
    localtime_s(&tm, &t);
#else
    localtime_r(&t, &tm);
#endif
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_wday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}
} // namespace

int zone_minutes(int16_t zone) {
    if (zone >= -1000 && zone <= 1000) return zone;
    auto z = static_cast<uint16_t>(zone);
    int tz = z & 0xFFF;
    if (z & (0x2000 | 0x4000)) return -(z & 0x8000 ? tz - 60 : tz);   // west of UTC or US
    return z & 0x8000 ? tz + 60 : tz;
}

std::string rfc822_date(const smb::When& when) {
    Clock c;
    if (when.time & ~PACKED_MASK) {             // legacy: a Unix time, shown in local time
        c = local_clock(static_cast<time_t>(when.time));
    } else {
        // The original turns the stored wall clock into a time with mktime and
        // back with localtime, which gives the same wall clock.
        unsigned mon = (when.time >> 22) & 0xF, mday = (when.time >> 17) & 0x1F;
        long days = days_from_civil(when.year, mon ? mon : 1, 1) + long(mday) - 1;
        long long secs = days * 86400LL + ((when.time >> 12) & 0x1F) * 3600LL +
                         ((when.time >> 6) & 0x3F) * 60LL + (when.time & 0x3F);
        c = from_seconds(secs);
    }
    int tz = zone_minutes(when.zone);
    char sign = tz < 0 ? '-' : '+';
    tz = std::abs(tz);
    // "%s, %d %s %d %02d:%02d:%02d %c%02u%02u" by hand: every retrieved message has one.
    std::string out;
    out.reserve(40);
    out.append(DAYS[c.wday]).append(", ");
    append_number(out, c.mday, 1);
    out.append(" ").append(MONTHS[(c.mon + 11) % 12]).append(" ");
    append_number(out, c.year, 1);
    out += ' ';
    append_number(out, c.hour, 2);
    out += ':';
    append_number(out, c.min, 2);
    out += ':';
    append_number(out, c.sec, 2);
    out += ' ';
    out += sign;
    append_number(out, tz / 60, 2);
    append_number(out, tz % 60, 2);
    return out;
}

} // namespace sbbs::render
