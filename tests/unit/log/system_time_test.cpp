#include "log/system_time.h"

#include <catch.hpp>

using namespace sbbs;

namespace {

std::tm at(int year, int mon, int mday, int wday, int hour, int min, int sec) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = mday;
    tm.tm_wday = wday;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    return tm;
}

} // namespace

TEST_CASE("SMTP-236 SMTP-79 log-file dates in the system's display format", "[log]") {
    CHECK(system_time_text(at(2026, 8, 21, 5, 22, 7, 47), 0) == "Fri Aug 21 2026 10:07 pm");
    CHECK(system_time_text(at(2026, 8, 1, 6, 0, 5, 0), 0) == "Sat Aug 01 2026 12:05 am");
    CHECK(system_time_text(at(2026, 8, 1, 6, 12, 0, 0), 0) == "Sat Aug 01 2026 12:00 pm");
    CHECK(system_time_text(at(2026, 1, 9, 5, 9, 30, 0), 0) == "Fri Jan 09 2026 09:30 am");
    CHECK(system_time_text(at(2026, 8, 21, 5, 22, 7, 47), kSysMilitaryTime) == "Fri Aug 21 2026 22:07:47");
}
