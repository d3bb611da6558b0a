// A fair reader/writer turnstile for one message base inside this process
// (issue #13 item 1): POP3 reads and the group-commit writer take turns in
// arrival order, readers that queue behind the same writer enter together.
// Other processes (the BBS) still meet us only through the SMB fcntl locks;
// the gate only stops our own threads from racing each other for them,
// where the lock retry's sleeps made a reader lose every race to a writer
// that re-locks at once.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

namespace sbbs::smb {

class FairGate {
public:
    // Held while alive; leaving lets the next group in.
    class Pass {
    public:
        Pass(Pass&& o) noexcept : gate_(o.gate_) { o.gate_ = nullptr; }
        Pass& operator=(Pass&&) = delete;
        ~Pass() { if (gate_) gate_->leave(); }

    private:
        friend class FairGate;
        explicit Pass(FairGate* gate) : gate_(gate) {}
        FairGate* gate_;
    };

    // Readers share the gate with the other readers of their group. A reader
    // joins the last group when that is a group of readers (so a stream of
    // readers cannot pass a writer that queued before them, and all readers
    // that queued behind one writer go in together once it leaves).
    Pass enter_shared();
    // One writer at a time, after everyone that queued before it.
    Pass enter_exclusive();

    // Threads waiting for their turn (not yet inside); for tests and logs.
    size_t queued() const;

private:
    struct Group {
        bool exclusive;
        size_t members;        // entered or waiting; the group leaves when 0
    };
    Pass enter(bool exclusive);
    void leave();

    mutable std::mutex mu_;
    std::condition_variable turn_;
    std::deque<Group> groups_;  // front: the group inside
    uint64_t front_id_ = 0;     // id of groups_.front(); ids grow by one per group
};

} // namespace sbbs::smb
