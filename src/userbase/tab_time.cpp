// ISO-8601-like date/times of user.tab, converted without timegm() so the
// code stays portable; local time goes through the platform file.
#include "userbase/tab_time.h"

#include "userbase/userbase_platform.h"

#include <cstdio>

namespace sbbs::userfield {
namespace {

struct Cursor {
    std::string_view s;
    size_t i = 0;
    bool digit() const { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }
    bool take(char c) { if (i < s.size() && s[i] == c) { ++i; return true; } return false; }
    // Up to `width` digits, like scanf's %Nu (leading blanks skipped).
    bool number(int width, int& out) {
        while (i < s.size() && s[i] == ' ') ++i;
        if (!digit()) return false;
        out = 0;
        for (int n = 0; n < width && digit(); ++n) out = out * 10 + (s[i++] - '0');
        return true;
    }
};

struct Parts { int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0; };

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12).
long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long z, int& y, int& m, int& d) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

void skip_fraction(Cursor& c) {
    if (c.take('.')) while (c.digit()) ++c.i;
}

// The three layouts the original's reader tries, in its order.
bool parse_layout(Cursor& c, Parts& p) {
    Cursor a = c;
    if (a.number(4, p.y) && a.take('-') && a.number(2, p.mo)) {
        if (a.take('-') && a.number(2, p.d) && a.take('T') && a.number(2, p.h) &&
            a.take(':') && a.number(2, p.mi) && a.take(':') && a.number(2, p.sec))
            skip_fraction(a);
        c = a;
        return true;
    }
    p = Parts{};
    Cursor b = c;
    if (b.number(4, p.y) && b.number(2, p.mo) && b.number(2, p.d)) {
        bool t = b.take('T');
        if (b.number(2, p.h) && b.number(2, p.mi) && b.number(2, p.sec)) skip_fraction(b);
        (void)t;
        c = b;
        return true;
    }
    return false;
}

// Zone suffix: "" = local (nullopt-like flag), "Z" = UTC, "+hhmm"/"-hh:mm".
bool parse_zone(Cursor& c, bool& local, long& offset_s) {
    local = false;
    offset_s = 0;
    if (c.i >= c.s.size()) { local = true; return true; }
    if (c.take('Z') || c.take('z')) return true;
    char sign = c.s[c.i];
    if (sign != '+' && sign != '-') { local = true; return true; }
    ++c.i;
    int hh = 0, mm = 0;
    if (!c.number(2, hh)) return false;
    c.take(':');
    if (!c.number(2, mm)) mm = 0;
    offset_s = (hh * 3600L + mm * 60L) * (sign == '-' ? -1 : 1);
    return true;
}

} // namespace

time_t parse_time(std::string_view s) {
    Cursor c{s};
    Parts p;
    if (!parse_layout(c, p) || p.y == 0) return 0;
    bool local = false;
    long offset = 0;
    if (!parse_zone(c, local, offset)) return 0;
    if (p.mo < 1) p.mo = 1;
    if (p.d < 1) p.d = 1;
    if (local) return platform::local_to_time(p.y, p.mo, p.d, p.h, p.mi, p.sec);
    long long y = p.y + (p.mo - 1) / 12;
    unsigned m = static_cast<unsigned>((p.mo - 1) % 12 + 1);
    long long days = days_from_civil(y, m, 1) + (p.d - 1);
    long long t = days * 86400LL + p.h * 3600LL + p.mi * 60LL + p.sec - offset;
    return t < 0 ? 0 : static_cast<time_t>(t);
}

std::string format_time(time_t t) {
    if (t == 0) return {};
    long long v = static_cast<long long>(t);
    long long days = v / 86400, rem = v % 86400;
    if (rem < 0) { rem += 86400; --days; }
    int y = 0, m = 0, d = 0;
    civil_from_days(days, y, m, d);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", y, m, d,
                  static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                  static_cast<int>(rem % 60));
    return buf;
}

bool same_local_date(time_t a, time_t b) {
    return platform::local_date(a) == platform::local_date(b);
}

} // namespace sbbs::userfield
