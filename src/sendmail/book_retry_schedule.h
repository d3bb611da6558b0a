// The retry schedule kept in the server's state database (DeliveryBook), so
// back-off survives a restart and a delivery cut short by a crash or kill is
// recognised and redone at the next start (at most one extra copy sent,
// never a loss).
#pragma once

#include "sendmail/retry_schedule.h"
#include "state/delivery_book.h"

namespace sbbs {

class BookRetrySchedule : public RetrySchedule {
public:
    // `rescan_s`: RescanFrequency, the unit of the back-off; `cap` in rescans.
    BookRetrySchedule(DeliveryBook& book, unsigned rescan_s, unsigned cap, WallClock clock = system_seconds);

    bool due(uint32_t number, uint64_t period) override;
    void started(uint32_t number) override;
    void failed(uint32_t number, uint16_t attempts, uint64_t period, const std::string& error) override;
    void finished(uint32_t number, bool delivered) override;
    void forget(uint32_t number) override;
    bool interrupted(uint32_t number) override;

private:
    DeliveryBook& book_;
    unsigned rescan_s_, cap_;
    WallClock clock_;
    // Claims made by this process: never "interrupted" while it runs.
    std::map<uint32_t, bool> mine_;
    std::mutex mu_;
};

} // namespace sbbs
