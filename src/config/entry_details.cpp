// The log lines' view of a matching list line (see pattern_list.h).
#include "config/pattern_list.h"

#include "config/list_time.h"
#include "util/platform_clock.h"

#include <cstdio>

namespace sbbs {

// The original's trash_details(): "since Aug 21 22:07:47 2026 for <r> using <p>".
std::string entry_details(const ListEntry& e) {
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::string s;
    auto meta = [&](const char* k) {
        auto it = e.meta.find(k);
        return it == e.meta.end() ? std::string() : it->second;
    };
    if (std::time_t added = parse_list_time(meta("t"))) {
        os::LocalTime l = os::local_time(added);
        char buf[40];
        std::snprintf(buf, sizeof buf, "since %s %2d %02d:%02d:%02d %04d", kMonths[(l.month + 11) % 12], l.day,
                      l.hour, l.minute, l.second, l.year);
        s = buf;
    }
    if (!meta("r").empty()) s += " for " + meta("r");
    if (!meta("p").empty()) s += " using " + meta("p");
    return s;
}

} // namespace sbbs
