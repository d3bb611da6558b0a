// Estimated-duration text for log lines.
#include "log/duration_text.h"

#include <cstdio>

namespace sbbs {

namespace {

struct Unit {
    int64_t seconds;
    const char* word;
    char letter;
};

// Weeks are never chosen by size: "90 days" reads better than "12.9 weeks".
constexpr Unit kUnits[] = {
    {365 * 86400, "year", 'y'}, {86400, "day", 'd'}, {3600, "hour", 'h'}, {60, "minute", 'm'},
};

// "1.5", "2" (not "2.0"), or nullptr-free empty when below a minute.
std::string scaled(int64_t seconds, const Unit*& unit) {
    for (const Unit& u : kUnits) {
        if (seconds < u.seconds) continue;
        unit = &u;
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(seconds) / static_cast<double>(u.seconds));
        std::string s = buf;
        if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
        return s;
    }
    unit = nullptr;
    return std::to_string(seconds);
}

} // namespace

std::string duration_words(int64_t seconds) {
    const Unit* unit = nullptr;
    std::string n = scaled(seconds, unit);
    std::string word = unit ? unit->word : "second";
    return n + " " + word + (n == "1" ? "" : "s");
}

std::string duration_letters(int64_t seconds) {
    const Unit* unit = nullptr;
    std::string n = scaled(seconds, unit);
    return n + (unit ? unit->letter : 's');
}

} // namespace sbbs
