// Times in list metadata (t=, e=; CFG-130): CCYYMMDDThhmmss read as LOCAL
// time whatever zone suffix follows, or a plain count of seconds since 1970.
#pragma once

#include <ctime>
#include <string_view>

namespace sbbs {

// 0 when nothing usable was found (the original's strtoull fallback).
time_t parse_list_time(std::string_view s);

} // namespace sbbs
