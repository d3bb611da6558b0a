// What a file's metadata says about its last change (issue #14): two equal
// stamps mean no write we can see happened in between, so a table or count
// read before may be reused. Timestamps are coarse (a kernel tick), so a
// write in the same tick as the stamp is invisible: every user of a stamp
// also bounds how long it trusts one (alloc_hint.h, index_tally.h). The
// stamp itself is util's one (platform_file.h), so there is one definition of
// "the file changed" in the project.
#pragma once

#include "util/platform_file.h"
#include "util/result.h"

#include <string>

namespace sbbs::smb {

using sbbs::FileStamp;

// The stamp of the file at `path` now; an error when it cannot be read.
Result<FileStamp> stamp_of(const std::string& path);

} // namespace sbbs::smb
