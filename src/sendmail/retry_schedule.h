// When a message that failed temporarily may be tried again: after its k-th
// failed attempt it waits min(2^(k-1), cap) periodic rescans (RescanFrequency
// units), so the sysop's RescanFrequency still sets the pace but a failing
// host is not hammered at every new-mail scan. The attempt counter itself
// stays in the message header (delivery_attempts).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

namespace sbbs {

class RetrySchedule {
public:
    virtual ~RetrySchedule() = default;
    // May message `number` be tried at periodic-rescan count `period`?
    virtual bool due(uint32_t number, uint64_t period) = 0;
    // Its `attempts`-th attempt failed temporarily during `period`.
    virtual void failed(uint32_t number, uint16_t attempts, uint64_t period) = 0;
    virtual void forget(uint32_t number) = 0;
};

// In memory: after a restart every queued message is due at once.
class MemoryRetrySchedule : public RetrySchedule {
public:
    explicit MemoryRetrySchedule(unsigned cap_periods = 16) : cap_(cap_periods ? cap_periods : 1) {}
    bool due(uint32_t number, uint64_t period) override;
    void failed(uint32_t number, uint16_t attempts, uint64_t period) override;
    void forget(uint32_t number) override;

private:
    std::mutex mu_;
    std::map<uint32_t, uint64_t> next_;   // message number -> first due period
    unsigned cap_;
};

} // namespace sbbs
