// CommitQueue: leader/follower batching of deliveries (see commit_queue.h).
#include "msgbase/commit_queue.h"

#include <exception>

namespace sbbs::smb {

CommitQueue::CommitQueue(BatchWriter writer, size_t max_batch, size_t max_batch_bytes)
    : writer_(std::move(writer)), max_batch_(max_batch ? max_batch : 1), max_batch_bytes_(max_batch_bytes) {}

namespace {
// What a delivery writes: its text once (the copies share it, FMT-64).
size_t text_bytes(const Delivery& d) { return d.msg ? d.msg->body.size() + d.msg->tail.size() : 0; }
} // namespace

DeliveryResult CommitQueue::deliver(const Delivery& d) {
    Waiter me{d};
    std::unique_lock lk(mu_);
    waiting_.push_back(&me);
    while (!me.done) {
        turn_.wait(lk, [&] { return me.done || !writing_; });
        if (!me.done) write_next_batch(lk);       // our turn to lead (our request may be in a later batch)
    }
    return std::move(me.result);
}

size_t CommitQueue::waiting() const {
    std::lock_guard lk(mu_);
    return waiting_.size();
}

// Called with the lock held and no batch in progress; the I/O runs unlocked
// so that the next callers can queue up behind it.
void CommitQueue::write_next_batch(std::unique_lock<std::mutex>& lk) {
    writing_ = true;
    std::vector<Waiter*> batch;
    size_t bytes = 0;
    while (!waiting_.empty() && batch.size() < max_batch_) {
        size_t next = text_bytes(waiting_.front()->delivery);
        if (!batch.empty() && bytes + next > max_batch_bytes_) break;   // the next batch takes it
        bytes += next;
        batch.push_back(waiting_.front());
        waiting_.pop_front();
    }
    std::vector<Delivery> deliveries;
    for (Waiter* w : batch) deliveries.push_back(w->delivery);
    lk.unlock();
    std::vector<DeliveryResult> results;
    try {
        results = writer_(deliveries);
    } catch (const std::exception& e) {           // never leave the followers waiting
        results.assign(batch.size(), make_error(std::string("storing failed: ") + e.what()));
    } catch (...) {
        results.assign(batch.size(), make_error("storing failed: unknown exception"));
    }
    if (results.size() != batch.size()) results.assign(batch.size(), make_error("storing failed: batch lost"));
    lk.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
        batch[i]->result = std::move(results[i]);
        batch[i]->done = true;
    }
    writing_ = false;
    turn_.notify_all();
}

} // namespace sbbs::smb
