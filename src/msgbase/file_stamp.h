// What a file's metadata says about its last change (issue #14): two equal
// stamps mean no write we can see happened in between, so a table or count
// read before may be reused. Timestamps are coarse (a kernel tick), so a
// write in the same tick as the stamp is invisible: every user of a stamp
// also bounds how long it trusts one (alloc_hint.h, index_tally.h).
#pragma once

#include "util/result.h"

#include <cstdint>
#include <string>

namespace sbbs::smb {

struct FileStamp {
    uint64_t device = 0, inode = 0;   // a file renamed into place (pack, restore) differs
    uint64_t size = 0;
    int64_t modified_ns = 0;          // any write
    int64_t changed_ns = 0;           // any write or metadata change, and no tool can set it back

    bool operator==(const FileStamp& o) const {
        return device == o.device && inode == o.inode && size == o.size && modified_ns == o.modified_ns &&
               changed_ns == o.changed_ns;
    }
    bool operator!=(const FileStamp& o) const { return !(*this == o); }
};

// The stamp of the file at `path` now (file_stamp_posix.cpp, file_stamp_win.cpp).
Result<FileStamp> stamp_of(const std::string& path);

} // namespace sbbs::smb
