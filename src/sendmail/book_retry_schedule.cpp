// RetrySchedule over the state database's DeliveryBook (see the header).
#include "sendmail/book_retry_schedule.h"

namespace sbbs {

BookRetrySchedule::BookRetrySchedule(DeliveryBook& book, unsigned rescan_s, unsigned cap, WallClock clock)
    : book_(book), rescan_s_(rescan_s ? rescan_s : 3600), cap_(cap ? cap : 1), clock_(std::move(clock)) {}

bool BookRetrySchedule::due(uint32_t number, uint64_t) {
    auto rec = book_.get(number);
    if (!rec || !*rec) return true;   // no record (or no database): try it
    return (*rec)->state != DeliveryState::Retry || (*rec)->next_try <= clock_();
}

void BookRetrySchedule::started(uint32_t number) {
    {
        std::lock_guard lk(mu_);
        mine_[number] = true;
    }
    (void)book_.start(number);   // best effort: the SMB flag is the real claim
}

void BookRetrySchedule::failed(uint32_t number, uint16_t attempts, uint64_t, const std::string& error) {
    {
        std::lock_guard lk(mu_);
        mine_.erase(number);
    }
    // The k-th wait is due half a rescan early so the periodic scan that
    // ends it is never missed by a few seconds.
    int64_t wait = int64_t(MemoryRetrySchedule::backoff(attempts, cap_)) * rescan_s_ - rescan_s_ / 2;
    (void)book_.failed(number, error, clock_() + wait);
}

void BookRetrySchedule::finished(uint32_t number, bool delivered) {
    {
        std::lock_guard lk(mu_);
        mine_.erase(number);
    }
    (void)book_.finish(number, delivered ? DeliveryState::Delivered : DeliveryState::Failed);
}

void BookRetrySchedule::forget(uint32_t number) {
    {
        std::lock_guard lk(mu_);
        mine_.erase(number);
    }
    (void)book_.forget(number);
}

bool BookRetrySchedule::interrupted(uint32_t number) {
    {
        std::lock_guard lk(mu_);
        if (mine_.count(number)) return false;
    }
    auto rec = book_.get(number);
    return rec && *rec && (*rec)->state == DeliveryState::InTransit;
}

} // namespace sbbs
