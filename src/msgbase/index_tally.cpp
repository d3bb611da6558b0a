// IndexTally: remembered per-user counts of a base's index, one pass for all
// users, trusted by the index file's stamp and for at most MAX_AGE_MS.
#include "msgbase/index_tally.h"

#include "msgbase/base_registry.h"
#include "msgbase/platform.h"
#include "msgbase/smb_base.h"
#include "msgbase/smb_defs.h"

namespace sbbs::smb {

void IndexCounts::clear() {
    if (n_.empty()) return;
    std::fill_n(n_.begin(), to_end_, 0u);
    std::fill_n(n_.begin() + USERS, from_end_, 0u);
    to_end_ = from_end_ = 0;
}

IndexTally::IndexTally() : clock_([] { return monotonic_ms(); }) {}

bool IndexTally::trusted(const FileStamp& now) const {
    return known_ && stamp_ == now && clock_() - counted_ms_ < MAX_AGE_MS;
}

Result<uint32_t> IndexTally::count(SmbBase& b, By by, uint32_t user) {
    if (user >= IndexCounts::USERS) return 0u;                   // index fields are 16 bits (FMT-72)
    auto pick = [&](const IndexCounts& c) { return by == By::Recipient ? c.waiting(user) : c.sent(user); };
    auto stamp = b.index_stamp();
    if (!stamp) return stamp.error();
    {
        std::lock_guard g(mu_);
        if (trusted(*stamp)) return pick(counts_);
    }
    std::lock_guard pass(pass_mu_);
    // The generation, then the stamp, then the read: a change of ours after
    // the generation was taken keeps this pass's counts out of the memo, and
    // one by anyone after the stamp was taken makes the next stamp differ
    // (or falls in its tick, which the age bound covers).
    uint64_t generation, now;
    {
        std::lock_guard g(mu_);
        generation = generation_;
        now = clock_();
    }
    stamp = b.index_stamp();
    if (!stamp) return stamp.error();
    {
        std::lock_guard g(mu_);
        if (trusted(*stamp)) return pick(counts_);             // the pass this one waited for
    }
    scratch_.clear();
    scratch_.make_room();
    if (auto st = b.tally_live(scratch_); !st) return st.error();
    uint32_t n = pick(scratch_);
    std::lock_guard g(mu_);
    ++passes_;
    if (generation_ == generation) {
        std::swap(counts_, scratch_);
        known_ = true;
        stamp_ = *stamp;
        counted_ms_ = now;
        counted_generation_ = generation;
    }
    return n;
}

void IndexTally::begin_append() {
    std::lock_guard g(mu_);
    append_generation_ = ++generation_;
}

void IndexTally::appended(const FileStamp& before, const std::vector<IndexRecord>& records, const FileStamp& after) {
    std::lock_guard g(mu_);
    ++generation_;
    // Only counts made wholly before this add began, of the index exactly
    // as this add found it, can be brought forward by its records.
    if (!known_ || counted_generation_ >= append_generation_ || stamp_ != before) {
        known_ = false;
        return;
    }
    for (auto& r : records)
        if (!(r.attr & attr::DELETE) && r.number != 0) counts_.add(r.to, r.from);   // FMT-78
    stamp_ = after;                                              // counted_ms_ stays: the age bound holds
}

void IndexTally::changed() {
    std::lock_guard g(mu_);
    ++generation_;
    known_ = false;
}

uint64_t IndexTally::passes() const {
    std::lock_guard g(mu_);
    return passes_;
}

void IndexTally::set_clock_for_test(Clock clock) {
    std::lock_guard g(mu_);
    clock_ = std::move(clock);
}

void IndexTally::assume_unchanged_for_test(const FileStamp& now) {
    std::lock_guard g(mu_);
    stamp_ = now;
}

std::shared_ptr<IndexTally> tally_for_base(const std::string& prefix) { return shared_for_base<IndexTally>(prefix); }

} // namespace sbbs::smb
