// What our last add learned about an allocation table (.sda, .sha), so the
// next add's first-fit scan (FMT-65) reads only the table's end, not the
// whole table: on a packed base every add used to read and scan it all,
// which made the accept rate fall as the base grew (issue #14).
//
// The hint says: "when we last looked, no free run lying below `below` was
// longer than `longest_free` entries". A scan for runs longer than that can
// start at `below`: first fit from there finds the run first fit from 0
// would. Safety never rests on the hint: the add still reads the real
// table, under its whole-file lock, from where it starts scanning, so an
// allocation by anyone else (the BBS) there is always seen, and nothing is
// ever placed below that point. What the hint can miss is space freed below
// it by someone else; such space is only left unused for a while (we append
// instead), never overlapped. To reuse it soon, the hint is dropped (a scan
// from 0) when the table's stamp is not the one our own last write left,
// and in any case every RESCAN_MS.
#pragma once

#include "msgbase/file_stamp.h"

#include <cstddef>
#include <cstdint>

namespace sbbs::smb {

struct AllocTable;

class AllocHint {
public:
    static constexpr uint64_t RESCAN_MS = 5000;

    // The first entry a scan for runs of at least `shortest` entries needs
    // to read, in the table whose stamp is `now` (0: all of it).
    size_t scan_from(uint32_t shortest, const FileStamp& now, uint64_t now_ms) const;
    // After our own writes to `table` (loaded from table.first, as it now
    // stands in memory and on disk), whose file now has `stamp`.
    void learn(const AllocTable& table, const FileStamp& stamp, uint64_t now_ms);
    void forget() { known_ = false; }
    // For tests: as if the table's last change by someone else fell in the
    // timestamp tick of our last write (so its stamp does not show it).
    void assume_unchanged_for_test(const FileStamp& now) { stamp_ = now; }

private:
    bool known_ = false;
    FileStamp stamp_;                             // the file as our last write left it
    size_t below_ = 0;
    size_t longest_free_ = 0;
    uint64_t full_scan_ms_ = 0;                   // when the table was last read from 0
};

} // namespace sbbs::smb
