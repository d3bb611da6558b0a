// The in-memory retry back-off (see retry_schedule.h).
#include "sendmail/retry_schedule.h"

namespace sbbs {

bool MemoryRetrySchedule::due(uint32_t number, uint64_t period) {
    std::lock_guard lk(mu_);
    auto it = next_.find(number);
    return it == next_.end() || period >= it->second;
}

void MemoryRetrySchedule::failed(uint32_t number, uint16_t attempts, uint64_t period) {
    std::lock_guard lk(mu_);
    uint64_t wait = 1;
    for (unsigned k = 1; k < attempts && wait < cap_; ++k) wait *= 2;
    if (wait > cap_) wait = cap_;
    next_[number] = period + wait;
}

void MemoryRetrySchedule::forget(uint32_t number) {
    std::lock_guard lk(mu_);
    next_.erase(number);
}

} // namespace sbbs
