// Per-destination queues between SendMail's claimer and its delivery
// workers (see outbound_queues.h).
#include "sendmail/outbound_queues.h"

#include <algorithm>

namespace sbbs {

void OutboundQueues::add(const std::string& key, std::vector<ClaimedMessage> messages) {
    if (messages.empty()) return;
    {
        std::lock_guard lk(mu_);
        Destination& d = dest_[key];
        if (d.waiting.empty()) order_.push_back(key);
        for (auto& m : messages) d.waiting.push_back(std::move(m));
        waiting_ += messages.size();
    }
    cv_.notify_all();
}

bool OutboundQueues::wait_for_room(std::chrono::milliseconds tick) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, tick, [&] { return waiting_ < lim_.lead || stopped_; }) && !stopped_;
}

void OutboundQueues::close() {
    {
        std::lock_guard lk(mu_);
        closed_ = true;
    }
    cv_.notify_all();
}

void OutboundQueues::stop() {
    {
        std::lock_guard lk(mu_);
        stopped_ = true;
    }
    cv_.notify_all();
}

DestinationTake OutboundQueues::take_from(const std::string& key, Destination& d) {
    DestinationTake t{key, {}};
    size_t n = std::min(d.waiting.size(), lim_.take ? lim_.take : 1);
    for (size_t i = 0; i < n; ++i) {
        t.messages.push_back(std::move(d.waiting.front()));
        d.waiting.pop_front();
    }
    waiting_ -= n;
    if (d.waiting.empty()) order_.erase(std::find(order_.begin(), order_.end(), key));
    cv_.notify_all();   // room for the claimer
    return t;
}

void OutboundQueues::release(std::string& held) {
    if (held.empty()) return;
    auto it = dest_.find(held);
    if (it != dest_.end() && it->second.workers) --it->second.workers;
    held.clear();
    cv_.notify_all();   // a worker may now open this destination
}

OutboundQueues::Destination* OutboundQueues::open_destination(std::string& key_out) {
    for (auto& key : order_) {
        Destination& d = dest_[key];
        if (d.workers < lim_.per_destination) {
            key_out = key;
            return &d;
        }
    }
    return nullptr;
}

std::optional<DestinationTake> OutboundQueues::next(std::string& held) {
    std::unique_lock lk(mu_);
    auto idle_since = std::chrono::steady_clock::now();
    for (;;) {
        if (stopped_) {
            release(held);
            return std::nullopt;
        }
        if (!held.empty()) {
            Destination& mine = dest_[held];
            if (!mine.waiting.empty()) return take_from(held, mine);   // the open session goes on
        }
        std::string key;
        if (Destination* d = open_destination(key)) {
            release(held);
            ++d->workers;
            held = key;
            return take_from(key, *d);
        }
        if (closed_ && waiting_ == 0) {
            release(held);
            return std::nullopt;
        }
        if (held.empty()) {
            cv_.wait(lk);
            continue;
        }
        // Held but idle: the session stays open a while for this destination's next messages.
        if (cv_.wait_until(lk, idle_since + lim_.linger) == std::cv_status::timeout) {
            release(held);
            return DestinationTake{};
        }
    }
}

std::vector<ClaimedMessage> OutboundQueues::drain() {
    std::lock_guard lk(mu_);
    std::vector<ClaimedMessage> out;
    for (auto& [key, d] : dest_)
        for (auto& m : d.waiting) out.push_back(std::move(m));
    dest_.clear();
    order_.clear();
    waiting_ = 0;
    return out;
}

} // namespace sbbs
