// Lock acquisition with the original's retry schedule (userbase.md USER-49)
// and a lock guard that releases its byte range when it goes out of scope.
#pragma once

#include "userbase/userbase_platform.h"
#include "util/result.h"

#include <functional>

namespace sbbs {

struct RetryPolicy {
    unsigned max_attempts = 200;
    // Sleeps between attempts; tests replace it to run without waiting.
    std::function<void(unsigned ms)> sleep = platform::sleep_ms;
    // (attempt / 10) x 50 ms plus a random 0..100 ms.
    static unsigned delay_ms(unsigned attempt);
};

// Holds one byte-range lock; unlocks on destruction.
class RangeLock {
public:
    RangeLock(platform::File& f, uint64_t offset, uint64_t len) : f_(&f), off_(offset), len_(len) {}
    RangeLock(RangeLock&& o) noexcept : f_(o.f_), off_(o.off_), len_(o.len_) { o.f_ = nullptr; }
    RangeLock& operator=(RangeLock&&) = delete;
    RangeLock(const RangeLock&) = delete;
    ~RangeLock() { if (f_) f_->unlock(off_, len_); }

private:
    platform::File* f_;
    uint64_t off_, len_;
};

// USER-47/48/49/62: lock [offset, offset+len) of `f`, retrying while busy.
Result<RangeLock> lock_range(platform::File& f, uint64_t offset, uint64_t len,
                             platform::LockKind kind, const RetryPolicy& policy);

// USER-51/55: open `path` and hold a whole-file lock for as long as the File
// stays open, retrying `attempts` times while another program holds it.
Result<platform::File> open_locked(const std::string& path, platform::OpenMode mode,
                                   platform::LockKind kind, unsigned attempts,
                                   const RetryPolicy& policy);

} // namespace sbbs
