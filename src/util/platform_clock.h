// Clocks, sleeping and the machine's name, per platform (platform_posix.cpp,
// platform_win.cpp) so the core modules need no system headers.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace sbbs::os {

void sleep_ms(unsigned ms);
uint64_t monotonic_ms();
uint32_t unix_time_now();

// `t` on the local wall clock, and that clock's offset east of UTC then.
struct LocalTime { int year, month, day, hour, minute, second, utc_offset_min, weekday; };  // weekday 0 = Sunday
LocalTime local_time(time_t t);
// Local wall-clock fields to a time_t (mktime, DST guessed); 0 when invalid.
time_t local_to_time(int y, int mo, int d, int h, int mi, int s);

// This machine's host name; empty when it cannot be had.
std::string host_name();

} // namespace sbbs::os
