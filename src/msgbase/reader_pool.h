// Read-only handles on one SMB base, lent to one thread at a time, so that
// concurrent readers (POP3 sessions) neither queue on the writer handle's
// mutex nor take its exclusive record locks: each handle is its own open
// file description, so its shared locks still exclude any writer, in this
// process or another.
#pragma once

#include "msgbase/smb_base.h"

#include <memory>
#include <mutex>
#include <vector>

namespace sbbs::smb {

class ReaderPool {
public:
    // At most `keep` idle handles stay open between uses.
    ReaderPool(std::string prefix, BaseOptions options, size_t keep = 8);

    class Lease {
    public:
        Lease(ReaderPool& pool, std::unique_ptr<SmbBase> base) : pool_(&pool), base_(std::move(base)) {}
        Lease(Lease&&) = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease() { if (base_) pool_->give_back(std::move(base_)); }
        SmbBase* operator->() const { return base_.get(); }
        SmbBase& operator*() const { return *base_; }
        // Its files were found replaced (a Stale read): closed, never lent again.
        void discard() { base_.reset(); }

    private:
        ReaderPool* pool_;
        std::unique_ptr<SmbBase> base_;
    };

    // An idle handle, or a newly opened one; an error when the base cannot
    // be opened read-only (e.g. it does not exist yet). With `check`, an idle
    // handle whose files were deleted or replaced is closed instead (an fstat
    // and a stat per file); a read that takes the base-header lock checks
    // that itself under the lock (Stale), so it need not pay twice.
    Result<Lease> lease(bool check = true);

private:
    void give_back(std::unique_ptr<SmbBase> base);

    std::string prefix_;
    BaseOptions options_;
    size_t keep_;
    std::mutex mu_;
    std::vector<std::unique_ptr<SmbBase>> idle_;
};

} // namespace sbbs::smb
