// Wall-clock seconds, injectable so tests can move time (ban expiry,
// throttling, cache expiry) without sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace sbbs {

using WallClock = std::function<int64_t()>;

inline int64_t system_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace sbbs
