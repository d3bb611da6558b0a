// The retry loop around non-blocking lock attempts, shared by user.tab,
// name.dat, node.dab and the .msg notice files.
#include "userbase/record_lock.h"

#include <random>

namespace sbbs {

unsigned RetryPolicy::delay_ms(unsigned attempt) {
    thread_local std::minstd_rand rng{std::random_device{}()};
    std::uniform_int_distribution<unsigned> jitter(0, 100);
    return (attempt / 10) * 50 + jitter(rng);
}

namespace {

// Attempts `try_once` until it succeeds, fails hard, or the attempts run out.
template <class F>
platform::LockAttempt retry(F try_once, unsigned attempts, const RetryPolicy& policy) {
    for (unsigned attempt = 1;; ++attempt) {
        platform::LockAttempt a = try_once();
        if (a != platform::LockAttempt::Busy || attempt >= attempts) return a;
        if (policy.sleep) policy.sleep(RetryPolicy::delay_ms(attempt));
    }
}

} // namespace

Result<RangeLock> lock_range(platform::File& f, uint64_t offset, uint64_t len,
                             platform::LockKind kind, const RetryPolicy& policy) {
    auto a = retry([&] { return f.try_lock(offset, len, kind); }, policy.max_attempts, policy);
    if (a == platform::LockAttempt::Acquired) return RangeLock(f, offset, len);
    return make_error(f.path() + ": cannot lock bytes " + std::to_string(offset) + "-" +
                          std::to_string(offset + len - 1),
                      ErrorCode::Locked);
}

Result<platform::File> open_locked(const std::string& path, platform::OpenMode mode,
                                   platform::LockKind kind, unsigned attempts,
                                   const RetryPolicy& policy) {
    auto f = platform::File::open(path, mode);
    if (!f) return f.error();
    auto a = retry([&] { return f->try_lock(0, 0, kind); }, attempts, policy);
    if (a == platform::LockAttempt::Acquired) return std::move(*f);
    return make_error(path + ": locked by another program", ErrorCode::Locked);
}

} // namespace sbbs
