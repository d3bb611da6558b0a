// RFC 822 / 5322 dates into the packed when_t of FMT-24: the wall clock as
// written in the header and its offset (FMT-25).
#include "mailfmt/parse.h"

#include "util/strings.h"

#include <cctype>
#include <cstdlib>
#include <sstream>

namespace sbbs {

namespace {

int month_number(const std::string& m) {
    static const char* names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; ++i)
        if (iequals(std::string_view(m).substr(0, 3), names[i])) return i + 1;
    return 0;
}

bool zone_minutes(const std::string& z, int& minutes) {
    if ((z[0] == '+' || z[0] == '-') && z.size() == 5 && all_digits(z.substr(1))) {
        int v = std::atoi(z.substr(1, 2).c_str()) * 60 + std::atoi(z.substr(3, 2).c_str());
        minutes = z[0] == '-' ? -v : v;
        return true;
    }
    static const struct { const char* n; int m; } named[] = {
        {"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"Z", 0}, {"EST", -300}, {"EDT", -240}, {"CST", -360},
        {"CDT", -300}, {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420}};
    for (auto& n : named)
        if (iequals(z, n.n)) { minutes = n.m; return true; }
    return false;
}

} // namespace

bool parse_rfc822_date(std::string_view text, smb::When& when) {
    std::string s(text);
    if (auto comma = s.find(','); comma != std::string::npos) s.erase(0, comma + 1);
    if (auto paren = s.find('('); paren != std::string::npos) s.erase(paren);
    std::istringstream in(s);
    std::string day, mon, year, clock, zone;
    if (!(in >> day >> mon >> year >> clock)) return false;
    in >> zone;
    int d = std::atoi(day.c_str()), m = month_number(mon), y = std::atoi(year.c_str());
    if (year.size() == 2) y += y < 50 ? 2000 : 1900;
    int hh = 0, mm = 0, ss = 0;
    if (std::sscanf(clock.c_str(), "%d:%d:%d", &hh, &mm, &ss) < 2) return false;
    if (!m || hh < 0 || mm < 0 || ss < 0 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60 || y < 1970 || y > 65535) return false;
    int offset = 0;
    if (!zone.empty() && !zone_minutes(zone, offset)) offset = 0;
    when.year = uint16_t(y);
    when.time = uint32_t(m) << 22 | uint32_t(d) << 17 | uint32_t(hh) << 12 | uint32_t(mm) << 6 | uint32_t(ss);
    when.zone = int16_t(offset);
    return true;
}

} // namespace sbbs
