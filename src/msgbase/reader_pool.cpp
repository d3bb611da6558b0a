// Lending read-only SMB handles: reuse idle ones, open more on demand.
#include "msgbase/reader_pool.h"

namespace sbbs::smb {

ReaderPool::ReaderPool(std::string prefix, BaseOptions options, size_t keep)
    : prefix_(std::move(prefix)), options_(options), keep_(keep) {
    options_.read_only = true;                     // shared locks, never writes, no recovery
    options_.create = false;
}

Result<ReaderPool::Lease> ReaderPool::lease(bool check) {
    {
        std::lock_guard g(mu_);
        while (!idle_.empty()) {
            auto base = std::move(idle_.back());
            idle_.pop_back();
            // one whose files were deleted or replaced would show stale mail
            if (!check || base->files_at_path()) return Lease(*this, std::move(base));
        }
    }
    auto base = SmbBase::open(prefix_, options_);
    if (!base) return base.error();
    return Lease(*this, std::move(*base));
}

void ReaderPool::give_back(std::unique_ptr<SmbBase> base) {
    std::lock_guard g(mu_);
    if (idle_.size() < keep_) idle_.push_back(std::move(base));
}

} // namespace sbbs::smb
