// When a message that failed temporarily may be tried again: after its k-th
// failed attempt it waits min(2^(k-1), cap) periodic rescans (RescanFrequency
// units), so the sysop's RescanFrequency still sets the pace but a failing
// host is not hammered at every new-mail scan. The attempt counter itself
// stays in the message header (delivery_attempts).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sbbs {

class RetrySchedule {
public:
    virtual ~RetrySchedule() = default;
    // May message `number` be tried at periodic-rescan count `period`?
    virtual bool due(uint32_t number, uint64_t period) = 0;
    // It is claimed (in transit) now.
    virtual void started(uint32_t /*number*/) {}
    // Its `attempts`-th attempt failed temporarily during `period`.
    virtual void failed(uint32_t number, uint16_t attempts, uint64_t period, const std::string& error) = 0;
    // Delivered, or given up (bounced/deleted).
    virtual void finished(uint32_t number, bool /*delivered*/) { forget(number); }
    virtual void forget(uint32_t number) = 0;
    // Was it claimed by a sender using this schedule that never finished it
    // (a crash or kill mid-delivery)? Such a message is retried at once.
    virtual bool interrupted(uint32_t /*number*/) { return false; }
};

// In memory: after a restart every queued message is due at once.
class MemoryRetrySchedule : public RetrySchedule {
public:
    // The wait after the `attempts`-th failure, in periodic rescans.
    static uint64_t backoff(uint16_t attempts, unsigned cap_periods);

    explicit MemoryRetrySchedule(unsigned cap_periods = 16) : cap_(cap_periods ? cap_periods : 1) {}
    bool due(uint32_t number, uint64_t period) override;
    void failed(uint32_t number, uint16_t attempts, uint64_t period, const std::string& error) override;
    void forget(uint32_t number) override;

private:
    std::mutex mu_;
    std::map<uint32_t, uint64_t> next_;   // message number -> first due period
    unsigned cap_;
};

} // namespace sbbs
