// Group commit of deliveries into one message base: callers that arrive
// while a batch is being written wait, and the first of them to get its turn
// writes everything waiting as the next batch, so concurrent sessions share
// each fsync instead of queueing for one transaction each.
#pragma once

#include "msgbase/mail_store.h"
#include "util/result.h"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace sbbs::smb {

struct Delivery {
    const NewMessage* msg;
    const std::vector<RecipientCopy>* copies;
};
using DeliveryResult = Result<std::vector<uint32_t>>;
// Writes a batch in one transaction; one result per delivery, in order.
using BatchWriter = std::function<std::vector<DeliveryResult>(const std::vector<Delivery>&)>;

class CommitQueue {
public:
    // `max_batch` deliveries and `max_batch_bytes` of text bound one
    // transaction, so its time too: its last caller, and the readers queued
    // behind it at the base's gate (issue #13 item 1), wait for the writes
    // and fsyncs of that much at most. A delivery larger than the byte bound
    // goes alone.
    explicit CommitQueue(BatchWriter writer, size_t max_batch = 64, size_t max_batch_bytes = size_t(8) << 20);

    // Blocks until `d` is written (by this thread or by another one's batch)
    // and returns its own result.
    DeliveryResult deliver(const Delivery& d);
    // Deliveries waiting for a batch (not the one being written); for tests.
    size_t waiting() const;

private:
    struct Waiter {
        Delivery delivery;
        DeliveryResult result = make_error("not written");
        bool done = false;
    };
    void write_next_batch(std::unique_lock<std::mutex>& lk);

    BatchWriter writer_;
    size_t max_batch_;
    size_t max_batch_bytes_;
    mutable std::mutex mu_;
    std::condition_variable turn_;
    std::deque<Waiter*> waiting_;                 // oldest first
    bool writing_ = false;
};

} // namespace sbbs::smb
