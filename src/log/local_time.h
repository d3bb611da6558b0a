// Wall-clock time broken down in the local zone, as the log's formatters want
// it (a std::tm), from util's one platform clock.
#pragma once

#include <ctime>

namespace sbbs {

std::tm local_time(std::time_t t);

} // namespace sbbs
