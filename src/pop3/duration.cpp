// "2 minutes", "1.5 hours", "30 seconds" as the original writes them in log lines.
#include "pop3/duration.h"

#include <cstdio>

namespace sbbs::pop3 {

std::string duration_estimate(double seconds) {
    struct Unit { double size; const char* word; };
    static const Unit units[] = {{365.0 * 86400, "year"}, {86400, "day"}, {3600, "hour"}, {60, "minute"}};
    char buf[64];
    for (auto& u : units) {
        if (seconds < u.size) continue;
        std::snprintf(buf, sizeof buf, "%1.1f", seconds / u.size);
        std::string n = buf;
        if (n.size() > 2 && n.compare(n.size() - 2, 2, ".0") == 0) n.resize(n.size() - 2);
        return n + " " + u.word + (n == "1" ? "" : "s");
    }
    std::snprintf(buf, sizeof buf, "%g second%s", seconds, seconds == 1 ? "" : "s");
    return buf;
}

} // namespace sbbs::pop3
