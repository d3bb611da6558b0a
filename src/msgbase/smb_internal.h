// Internals shared by the SMB base's .cpp files: retried locks, locked
// table files, status I/O, allocation tables. Not for other modules.
#pragma once

#include "msgbase/pending_add.h"
#include "msgbase/smb_base.h"

#include <algorithm>
#include <optional>

namespace sbbs::smb {

// A held byte-range lock, released on destruction.
class RangeLock {
public:
    RangeLock() = default;
    RangeLock(File* f, uint64_t off, uint64_t len) : f_(f), off_(off), len_(len) {}
    RangeLock(RangeLock&& o) noexcept : f_(o.f_), off_(o.off_), len_(o.len_) { o.f_ = nullptr; }
    RangeLock& operator=(RangeLock&& o) noexcept {
        release();
        f_ = o.f_; off_ = o.off_; len_ = o.len_;
        o.f_ = nullptr;
        return *this;
    }
    ~RangeLock() { release(); }
    void release() { if (f_) f_->unlock(off_, len_); f_ = nullptr; }

private:
    File* f_ = nullptr;
    uint64_t off_ = 0, len_ = 0;
};

// Allocation table (.sha bytes or .sda u16 counts) held in memory while its
// file is open with the whole-file lock (FMT-71, FMT-83). An add loads it
// from `first` on only (the entries below were in use when it last looked,
// alloc_hint.h); every other user loads it whole (first = 0). Indexes are
// entry numbers in the file; entries below `first` must not be asked for.
struct AllocTable {
    File file;
    std::vector<uint16_t> entries;                // entries[i] is entry first + i
    size_t first = 0;
    bool wide = false;                            // .sda: 2 bytes per entry
    size_t first_dirty = SIZE_MAX, end_dirty = 0;

    Status load(size_t from);                     // reads entries from `from` (clamped to the file) to its end
    size_t size() const { return first + entries.size(); }
    uint16_t get(size_t i) const { return i < size() ? entries[i - first] : 0; }
    // FMT-65/66 from `first` on. The whole table is loaded unless the hint
    // said no run that fits starts below `first`.
    uint32_t find_run(uint32_t n, AllocMode mode) const;
    size_t longest_free_run() const;              // in the loaded entries
    void set(size_t i, uint16_t v);
    Status flush();                               // dirty range back to the file
    Status truncate_to(size_t n);                 // drops entries from n on
    // [at, at + n) taken in memory only (not written, not undone): header
    // places reserved until their .sha bytes are written (commit_headers).
    void hold(size_t at, uint32_t n);
    void release(size_t at, uint32_t n);
    void shrink_to(size_t n);                     // memory only
    // From here on set() remembers what it overwrites, so a failed write can
    // put the table back (FMT-90) without a copy of the whole table: a copy
    // per add cost as much as the base is large (issue #14).
    void begin_undo();
    void undo();                                  // back to begin_undo(), in the file too

private:
    // First fit for n entries lies at or after where it lay for any shorter
    // request, as long as entries are only taken: one add placing 100
    // headers scans the table once, not 100 times. Reset by anything that
    // frees or loads entries.
    mutable uint32_t fit_n_ = UINT32_MAX;
    mutable size_t fit_at_ = 0;                   // in entries[]
    void forget_fit() { fit_n_ = UINT32_MAX; }

    struct Overwritten { size_t at; uint16_t old; };
    std::vector<Overwritten> undo_log_;
    size_t undo_size_ = SIZE_MAX;                 // entries when begin_undo() ran; SIZE_MAX: not logging
};

// Everything a write changes before its commit point, so a failure can
// undo it (FMT-90) while the locks are still held.
struct AddTxn {
    AddTxn(BaseStatus& s, bool hyper_alloc) : status(s), hyper(hyper_alloc) {
        pending.last_msg = s.last_msg;
        pending.total_msgs = s.total_msgs;
    }
    BaseStatus& status;
    bool hyper;
    std::optional<AllocTable> sda, sha;           // logging what they overwrite (begin_undo)
    uint64_t sdt_size = 0, shd_size = 0;
    std::optional<File> hash_file, sch_file;
    uint64_t hash_size = 0, sch_size = 0;
    // What this add has counted and placed, mirrored in <base>.pending.
    PendingAdd pending;
    std::optional<File> journal;

    Status rollback(File& sdt, File& shd);
    static uint64_t current(File& f);
};

struct SmbBase::Impl {
    static Result<std::vector<uint32_t>> commit_headers(SmbBase& b, AddTxn& t, std::vector<MessageHeader>& hdrs);
    // FMT-89 step 8 in the parent: thread_first + REPLIED, or the last sibling's thread_next.
    static void link_reply(SmbBase& b, BaseStatus& s, const MessageHeader& reply);
    // Rewrites header at index position `pos` (FMT-92..94); `old_blocks` = blocks it occupies.
    static Status rewrite_locked(SmbBase& b, BaseStatus& s, uint32_t pos, const MessageHeader& h, uint32_t old_blocks);
    // Non-blocking lock retried per FMT-82; error Locked on timeout.
    static Result<RangeLock> lock(SmbBase& b, File& f, uint64_t off, uint64_t len, const std::string& what);
    // The base-header lock (FMT-80), then a check that the files are still
    // the base: a pack or restore may have renamed new files into place
    // while we waited (FMT-84's .lock, the lock itself). Error Stale then.
    static Result<RangeLock> lock_base_header(SmbBase& b);
    // Opens (creating) a table/hash file with its whole-file lock, retried,
    // and loads the whole table.
    static Result<AllocTable> open_table(SmbBase& b, const char* ext, bool wide);
    static Result<AllocTable> open_table_unread(SmbBase& b, const char* ext, bool wide);
    // An add's table: loaded from where `hint` says a first fit for runs of
    // at least `shortest` entries can start (nothing at all in fast mode,
    // which appends, FMT-66); learn_table() after the add's own writes.
    static Result<AllocTable> open_alloc_table(SmbBase& b, const char* ext, bool wide, const AllocHint& hint,
                                               uint32_t shortest);
    static void learn_table(SmbBase& b, AllocHint& hint, const AllocTable& table);
    // Around an add's index append (IndexTally): the index's stamp before
    // it, then the records it made live (nullptr: it did not finish).
    static std::optional<FileStamp> begin_index_append(SmbBase& b);
    static void end_index_append(SmbBase& b, const std::optional<FileStamp>& before,
                                 const std::vector<IndexRecord>* records);
    // An in-place change of index records (or of which are live) by us.
    static void index_changed(SmbBase& b);
    static Result<File> open_locked(SmbBase& b, const char* ext);
    // FMT-84: waits while <base>.lock exists; error Locked on timeout.
    static Status wait_for_lockfile(SmbBase& b);
    static Result<BaseStatus> read_status(SmbBase& b);
    static Status write_status(SmbBase& b, const BaseStatus& s);
    static void step(SmbBase& b, const char* name) { if (b.hook_) b.hook_(name); }
    static void pause(SmbBase& b, unsigned attempt);
    // .lock check + base-header lock + fresh status + crash recovery.
    static Result<RangeLock> begin_write(SmbBase& b, BaseStatus& s);
    static Status recover_locked(SmbBase& b, BaseStatus& s);
    // The pending-add journal (pending_add.h; smb_pending.cpp): rewritten
    // after each allocation of an add, emptied when it ends, and applied by
    // recovery to give back what a killed add left counted.
    static Status note_pending(SmbBase& b, AddTxn& t);
    static void clear_pending(AddTxn& t);
    static Status reclaim_pending_locked(SmbBase& b, const BaseStatus& s);
    // The update journal (smb_update_journal.cpp): written before an update
    // rewrites headers, emptied after their index records; recovery brings
    // the index records of a killed update in line with their headers.
    // No file (nullopt) when the disk is too full to write the entry: the
    // update then runs unjournaled, logged (see smb_update_journal.cpp).
    static Result<std::optional<File>> note_updating(SmbBase& b, const std::vector<uint32_t>& numbers);
    // Marks the entry done in place, keeping the file's blocks; while
    // unsynced updates remain, the entry holds just their numbers instead.
    static void clear_updating(SmbBase& b, File& journal);
    static Status repair_updating_locked(SmbBase& b, const BaseStatus& s);
    static Result<IndexRecord> find_locked(SmbBase& b, const BaseStatus& s, uint32_t number, uint32_t* pos);
    static Result<MessageHeader> read_header_unlocked(SmbBase& b, uint32_t offset);
    // The same with the status the caller read under the base-header lock it
    // still holds (header_offset cannot change under it): a batch of headers
    // then reads the base header once, not once per message (issue #14).
    static Result<MessageHeader> read_header_unlocked(SmbBase& b, uint32_t offset, const BaseStatus& s);
    // The same under the header's own lock (FMT-81); the caller holds mu_.
    static Result<MessageHeader> read_header_message_locked(SmbBase& b, uint32_t offset);
    static Result<MessageHeader> read_header_message_locked(SmbBase& b, uint32_t offset, const BaseStatus& s);
    static Status sync(SmbBase& b, File& f) { return b.opt_.durable ? f.sync() : Status(); }
};

} // namespace sbbs::smb
