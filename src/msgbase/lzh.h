// Decoder for the LZHUF streams some SMB bodies are stored in (smb.md 9.1).
#pragma once

#include "util/result.h"

#include <string>
#include <string_view>

namespace sbbs::smb {

// `stream` = u32 uncompressed length (LE) + bit stream (FMT-47). Fails when
// the stream runs out (by a whole byte or more) before that length is made.
Result<std::string> lzh_decode(std::string_view stream);

} // namespace sbbs::smb
