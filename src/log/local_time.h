// Wall-clock time broken down in the local zone (the one platform call the
// log needs; POSIX and Windows twins live in local_time_*.cpp).
#pragma once

#include <ctime>

namespace sbbs {

std::tm local_time(std::time_t t);

} // namespace sbbs
