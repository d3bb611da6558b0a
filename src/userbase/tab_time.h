// Date/time values of user.tab (userbase.md USER-12).
#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace sbbs::userfield {

// Reads CCYYMMDDThhmmss, CCYY-MM-DDThh:mm:ss or CCYYMMDDhhmmss, each with an
// optional Z or +hhmm/-hhmm zone (no zone = local time). Empty or
// unparsable = 0 ("never").
time_t parse_time(std::string_view s);
// CCYYMMDDThhmmssZ in UTC; 0 gives the empty string.
std::string format_time(time_t t);
// Is `a` on the same local calendar date as `b`?
bool same_local_date(time_t a, time_t b);

} // namespace sbbs::userfield
