// List metadata time parsing (see list_time.h).
#include "config/list_time.h"

#include "config/ip_address.h"

namespace sbbs {

namespace {

time_t local_time(uint64_t date, uint64_t hms) {
    std::tm tm{};
    tm.tm_year = int(date / 10000) - 1900;
    tm.tm_mon = int(date / 100 % 100) - 1;
    tm.tm_mday = int(date % 100);
    tm.tm_hour = int(hms / 10000);
    tm.tm_min = int(hms / 100 % 100);
    tm.tm_sec = int(hms % 100);
    tm.tm_isdst = -1;  // let the C library decide, as the original does
    time_t t = std::mktime(&tm);
    return t == time_t(-1) ? 0 : t;
}

} // namespace

time_t parse_list_time(std::string_view s) {
    std::string_view rest = s;
    auto date = scan_unsigned(rest);
    if (!date) return 0;
    if (!rest.empty() && rest.front() == 'T') {
        rest.remove_prefix(1);
        auto hms = scan_unsigned(rest);
        if (hms) return local_time(*date, *hms);
    }
    return time_t(*date);
}

} // namespace sbbs
