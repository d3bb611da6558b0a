// The in-memory retry back-off (see retry_schedule.h).
#include "sendmail/retry_schedule.h"

namespace sbbs {

bool MemoryRetrySchedule::due(uint32_t number, uint64_t period) {
    std::lock_guard lk(mu_);
    auto it = next_.find(number);
    return it == next_.end() || period >= it->second;
}

uint64_t MemoryRetrySchedule::backoff(uint16_t attempts, unsigned cap_periods) {
    uint64_t cap = cap_periods ? cap_periods : 1, wait = 1;
    for (unsigned k = 1; k < attempts && wait < cap; ++k) wait *= 2;
    return wait > cap ? cap : wait;
}

void MemoryRetrySchedule::failed(uint32_t number, uint16_t attempts, uint64_t period, const std::string&) {
    std::lock_guard lk(mu_);
    next_[number] = period + backoff(attempts, cap_);
}

void MemoryRetrySchedule::forget(uint32_t number) {
    std::lock_guard lk(mu_);
    next_.erase(number);
}

} // namespace sbbs
