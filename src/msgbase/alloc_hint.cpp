// AllocHint: when an add may skip the start of an allocation table.
#include "msgbase/alloc_hint.h"

#include "msgbase/smb_internal.h"

#include <algorithm>

namespace sbbs::smb {

size_t AllocHint::scan_from(uint32_t shortest, const FileStamp& now, uint64_t now_ms) const {
    if (!known_ || now != stamp_ || now_ms - full_scan_ms_ >= RESCAN_MS) return 0;
    if (shortest <= longest_free_) return 0;     // a run below `below_` may fit
    return below_;
}

void AllocHint::learn(const AllocTable& table, const FileStamp& stamp, uint64_t now_ms) {
    if (table.first == 0) {
        full_scan_ms_ = now_ms;
        longest_free_ = table.longest_free_run();
    } else {
        // Entries below table.first are as the hint last said (its runs no
        // longer than longest_free_); the loaded ones we have just seen. A
        // free run crossing table.first (someone else grew the table with
        // free entries) only makes longest_free_ low, which costs a run's
        // reuse, never an overlap.
        longest_free_ = std::max(longest_free_, table.longest_free_run());
    }
    below_ = table.size();
    stamp_ = stamp;
    known_ = true;
}

} // namespace sbbs::smb
