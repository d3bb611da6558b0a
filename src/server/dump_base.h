// --dump-base PREFIX: an SMB base as JSON, read with our own reader, so the
// end-to-end tests can check what the server stored.
#pragma once

#include <cstdio>
#include <string>

namespace sbbs {

// A JSON array, one object per index record: number, attr, netattr,
// auxattr, delivery_attempts, index {to, from, subj, attr, time}, fields
// ([type, text] in stored order), body, tail. Strings carry one code point
// per byte (U+0000..U+00FF) so binary and 8-bit text survive exactly.
// Returns the exit code (1 when the base cannot be read).
int dump_base(const std::string& prefix, std::FILE* out, std::FILE* err);

} // namespace sbbs
