// POSIX: the thread-safe localtime_r.
#include "log/local_time.h"

#ifndef _WIN32
namespace sbbs {

std::tm local_time(std::time_t t) {
    std::tm out{};
    localtime_r(&t, &out);
    return out;
}

} // namespace sbbs
#endif
