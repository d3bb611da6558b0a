// FairGate: FIFO groups of readers or one writer (see fair_gate.h).
#include "msgbase/fair_gate.h"

namespace sbbs::smb {

FairGate::Pass FairGate::enter_shared() { return enter(false); }
FairGate::Pass FairGate::enter_exclusive() { return enter(true); }

FairGate::Pass FairGate::enter(bool exclusive) {
    std::unique_lock lk(mu_);
    if (!exclusive && !groups_.empty() && !groups_.back().exclusive) {
        ++groups_.back().members;            // with the readers already queued (or inside)
    } else {
        groups_.push_back({exclusive, 1});
    }
    const uint64_t mine = front_id_ + groups_.size() - 1;
    turn_.wait(lk, [&] { return front_id_ == mine; });
    return Pass(this);
}

void FairGate::leave() {
    std::lock_guard lk(mu_);
    if (--groups_.front().members > 0) return;   // readers of this group still inside
    groups_.pop_front();
    ++front_id_;
    turn_.notify_all();
}

size_t FairGate::queued() const {
    std::lock_guard lk(mu_);
    size_t n = 0;
    for (size_t i = 1; i < groups_.size(); ++i) n += groups_[i].members;
    return n;
}

} // namespace sbbs::smb
