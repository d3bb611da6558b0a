// The counts SMTP asks for on every RCPT (SMTP-108 mail a user sent that is
// still in the base, FMT-76; SMTP-148 mail waiting for a user, FMT-108),
// remembered per base for the whole process so that a RCPT does not read
// the whole index (issue #14: with 100 recipients that was 100 reads of it
// per message, and the accept rate fell as the base grew).
//
// One pass over the index counts every user at once; the counts are then
// trusted while the index file's stamp is the one seen before that pass,
// or the one our own last add left (our adds add their records to the
// counts, our in-place changes drop them), and never for more than
// MAX_AGE_MS after the pass. The age bound is what makes the stamp safe: a
// BBS deletion flips attribute bits in place (no size change) and a write
// in the same timestamp tick as our stamp is invisible to it.
//
// Why counts up to 1 s old are no weaker than the original: it counts at
// RCPT (an unlocked read of the index, FMT-86) and stores the message at
// the end of DATA, holding no lock in between, so the count it acts on is
// already as old as the whole DATA phase (seconds to minutes for a large
// message) while other sessions and the BBS add and delete mail. Both
// limits are soft: SMTP-148 answers 450 (try later) and SMTP-108 452. An
// extra second of age changes which side of a limit a message falls on only
// in the same race the original already has.
#pragma once

#include "msgbase/file_stamp.h"
#include "msgbase/message.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sbbs::smb {

class SmbBase;

// Live index records per recipient (`to`) and per sender (`from`), for
// every 16-bit user number (FMT-72).
class IndexCounts {
public:
    static constexpr uint32_t USERS = 0x10000;
    uint32_t waiting(uint32_t user) const { return user < to_end_ ? n_[user] : 0; }
    uint32_t sent(uint32_t user) const { return user < from_end_ ? n_[USERS + user] : 0; }
    // One live record: the pass's inner loop, so inline and without branches.
    void add(uint32_t to, uint32_t from) {
        ++n_[to];
        ++n_[USERS + from];
        to_end_ = std::max(to_end_, to + 1);
        from_end_ = std::max(from_end_, from + 1);
    }
    void make_room() { if (n_.empty()) n_.assign(2 * USERS, 0); }   // before add()
    // Back to zero. User numbers are dense and small on a BBS (its user
    // list), so this clears a few KiB, not the whole 512 KiB.
    void clear();

private:
    std::vector<uint32_t> n_;                     // [0, USERS): by `to`; [USERS, 2 USERS): by `from`
    uint32_t to_end_ = 0, from_end_ = 0;          // past the highest user counted on each side
};

class IndexTally {
public:
    static constexpr uint64_t MAX_AGE_MS = 1000;
    enum class By { Recipient, Sender };
    using Clock = std::function<uint64_t()>;

    IndexTally();
    // The live records of `user` by `by`, remembered or counted afresh on
    // `b` (any handle on this base: the pass reads without a lock, FMT-86).
    Result<uint32_t> count(SmbBase& b, By by, uint32_t user);

    // Our own add, under the base-header lock. begin_append() before the
    // index records are written (a pass running then might see them or
    // not, so its counts are not kept); appended() once the status covers
    // them, with the index's stamp taken before the write and after it.
    void begin_append();
    void appended(const FileStamp& before, const std::vector<IndexRecord>& records, const FileStamp& after);
    // Our own in-place change of index records (an update, a repair): the
    // counts are dropped and the next count makes a pass.
    void changed();

    uint64_t passes() const;                      // for tests: index passes made so far
    void set_clock_for_test(Clock clock);
    // For tests: as if the index's last change by someone else fell in the
    // timestamp tick of the stamp the counts were made with.
    void assume_unchanged_for_test(const FileStamp& now);

private:
    bool trusted(const FileStamp& now) const;     // mu_ held

    mutable std::mutex mu_;
    Clock clock_;
    uint64_t generation_ = 0;                     // bumped by every change of ours
    bool known_ = false;
    FileStamp stamp_;                             // the index as counted (or as our last add left it)
    uint64_t counted_ms_ = 0;
    uint64_t counted_generation_ = 0;
    uint64_t append_generation_ = 0;              // begin_append()'s
    uint64_t passes_ = 0;
    IndexCounts counts_;

    std::mutex pass_mu_;                          // one pass at a time; the others wait for its counts
    IndexCounts scratch_;                         // pass_mu_ held
};

// The tally of the base at `prefix` for the whole process (like
// gate_for_base: every store and handle on one base shares it).
std::shared_ptr<IndexTally> tally_for_base(const std::string& prefix);

} // namespace sbbs::smb
