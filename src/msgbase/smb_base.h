// One open SMB message base (data/mail, a sub-board): reading, and writing
// with the original's locks and allocation plus our durability promise.
#pragma once

#include "msgbase/alloc_hint.h"
#include "msgbase/codec.h"
#include "msgbase/file_stamp.h"
#include "msgbase/mail_store.h"
#include "msgbase/platform.h"

#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sbbs::smb {

class IndexCounts;
class IndexTally;

enum class AllocMode { SelfPack, Fast };          // FMT-65, FMT-66 (hyper comes from the base)

struct BaseOptions {
    uint32_t retry_time_s = 30;                   // FMT-82 (msgs.ini smb_retry_time)
    uint32_t retry_delay_ms = 100;
    bool read_only = false;                       // never writes, no recovery
    bool create = false;                          // create missing/empty base (FMT-7, FMT-89.1)
    BaseStatus create_status;                     // status values for a base we create
    bool durable = true;                          // fsync as documented in smb_writer.cpp
    AllocMode alloc = AllocMode::SelfPack;
    bool dupe_check = true;                       // reject duplicates via .hash/.sch (non-mail)
};

// Called between the write steps of an add so a test can stop the process
// there (the fault-injection test); `step` names the step just finished.
using WriteHook = std::function<void(const char* step)>;

class SmbBase {
public:
    static Result<std::unique_ptr<SmbBase>> open(const std::string& prefix, BaseOptions opt = {});
    // FMT-10: (re)initialise the files of `prefix` with `status`'s limits.
    static Status create(const std::string& prefix, const BaseStatus& status);
    ~SmbBase();

    const std::string& prefix() const { return prefix_; }
    // False once a file this handle keeps open was deleted or replaced under
    // it (a sysop restoring a backup, a tool rebuilding the base): the handle
    // would read stale data and write into files no one will ever read.
    bool files_at_path() const;
    std::string file(const char* ext) const { return prefix_ + "." + ext; }
    void set_write_hook(WriteHook hook) { hook_ = std::move(hook); }

    // --- reading ---
    Result<BaseStatus> status();                  // fresh, under the base-header lock
    // Whole index; `locked` takes the base-header lock for a stable snapshot.
    Result<std::vector<IndexRecord>> read_index(bool locked);
    // The index file's stamp now (file_stamp.h), and one pass over its raw
    // records adding every live one (not deleted, FMT-78) to `counts`, an
    // unlocked read like read_index(false): IndexTally's, which SMTP asks on
    // every RCPT (SMTP-108, SMTP-148), so it builds no record list (issue #14).
    Result<FileStamp> index_stamp() const;
    Status tally_live(IndexCounts& counts);
    // The process-wide counts of this base (index_tally.h), which this
    // handle's own index writes keep up to date.
    const std::shared_ptr<IndexTally>& tally() const { return tally_; }
    // For tests: the clock the allocation hints (alloc_hint.h) age by.
    void set_clock_for_test(std::function<uint64_t()> clock) { clock_ = std::move(clock); }
    // For tests: as if every change of .sda and .sha since this handle's
    // last add fell in that add's timestamp tick (AllocHint).
    void assume_tables_unchanged_for_test();
    // Binary search by number (FMT-72, FMT-98); error NotFound when absent.
    Result<IndexRecord> find(uint32_t number);
    Result<MessageHeader> read_header(uint32_t header_offset);
    Result<Message> read_message(uint32_t number, bool with_text);
    // MailStore::read_many on this handle: one base-header lock for the
    // whole prefix read, each header under its own message-header lock.
    std::vector<Result<Message>> read_messages(const std::vector<uint32_t>& numbers, size_t text_budget);
    // MailStore::read_headers on this handle, the same way.
    std::vector<Result<MessageHeader>> read_headers(const std::vector<uint32_t>& numbers);
    // Decoded TEXT_BODY and TEXT_TAIL fields of a header (FMT-43..60).
    Result<std::pair<std::string, std::string>> read_text(const MessageHeader& h);

    // --- writing (each: .lock check, base-header lock, fresh status) ---
    // Stores the text once and one header per copy (FMT-64, FMT-89, FMT-91);
    // no copies = one header made of msg.hdr alone. Returns the numbers.
    Result<std::vector<uint32_t>> add(const NewMessage& msg, const std::vector<RecipientCopy>& copies);
    // Several adds in one transaction (group commit): every write step and
    // fsync is shared. One result per request, in order: its numbers, or its
    // own error (duplicate, header too large) while the others are stored; a
    // storage failure fails them all and stores none of them.
    struct AddRequest {
        const NewMessage* msg;
        const std::vector<RecipientCopy>* copies;
    };
    std::vector<Result<std::vector<uint32_t>>> add_batch(const std::vector<AddRequest>& requests);
    // A new header sharing the data of `original` (bounces, FMT-121).
    Result<uint32_t> add_sharing_data(uint32_t original, const MessageHeader& hdr);
    // Re-reads header `number` under both locks, applies `change`, writes
    // header then index (FMT-92..94).
    Status update(uint32_t number, const std::function<void(MessageHeader&)>& change);
    Status change_attr(uint32_t number, uint16_t set, uint16_t clear);
    // change_attr on each of `numbers` under one lock, one fsync pair at the
    // end; goes on past a failing message and returns the first error.
    Status change_attr_many(const std::vector<uint32_t>& numbers, uint16_t set, uint16_t clear);
    // update() of each of `numbers` (change gets its position in `numbers`)
    // the same way: one lock, one fsync pair, first error returned.
    Status update_many(const std::vector<uint32_t>& numbers,
                       const std::function<void(size_t, MessageHeader&)>& change);
    // update_many whose `change` sees each header as it is under the locks
    // and returns false to leave it unwritten; `written` says which were
    // rewritten. `sync` false (ours, issue #14): written at once (every
    // process sees it, a kill of ours loses nothing the page cache holds)
    // but not fsynced; sync_updates() or the next synced write makes it durable.
    Status update_many_if(const std::vector<uint32_t>& numbers,
                          const std::function<bool(size_t, MessageHeader&)>& change, bool sync,
                          std::vector<bool>& written);
    // fsync of .shd and .sid: makes unsynced updates durable.
    Status sync_updates();
    // Finishes or undoes an add interrupted by a crash (see smb_recover.cpp).
    Status recover();

    struct Impl;                                  // file-level helpers shared by the .cpp files

private:
    SmbBase(std::string prefix, BaseOptions opt);
    friend struct Impl;

    std::string prefix_;
    BaseOptions opt_;
    File shd_, sdt_, sid_;
    std::mutex mu_;                               // FMT-88: one writer per handle at a time
    // Updated without their fsync (update_many_if, sync=false): they stay in
    // the update journal until sync_updates() has made them durable (under mu_).
    std::set<uint32_t> unsynced_updates_;
    std::minstd_rand rng_;
    WriteHook hook_;
    std::shared_ptr<IndexTally> tally_;
    // What this handle's last add learned of .sda and .sha (alloc_hint.h).
    AllocHint sda_hint_, sha_hint_;
    std::function<uint64_t()> clock_;
};

// FMT-49: the text as the mail server sends it (comments, body, tails).
std::string retrieval_text(const Message& m, bool with_tails);

} // namespace sbbs::smb
