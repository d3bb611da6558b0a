// Windows: localtime_s (argument order differs from C11's).
#include "log/local_time.h"

#ifdef _WIN32
namespace sbbs {

std::tm local_time(std::time_t t) {
    std::tm out{};
    localtime_s(&out, &t);
    return out;
}

} // namespace sbbs
#endif
