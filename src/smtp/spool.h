// The message text of one transaction as received (DATA or BDAT), held in
// memory once: the header as CR LF lines and the body in chunks the store
// writes from (SEC-11).
#pragma once

#include "util/text_pieces.h"

#include <cstdint>
#include <string>

namespace sbbs::smtp {

struct Spool {
    std::string header;             // CRLF lines, without the blank line
    ChunkedText body;               // CRLF lines, held once: the store writes from here (SEC-11)
    uint64_t body_bytes = 0;        // counted even past MaxMsgSize
    unsigned header_lines = 0, body_lines = 0;
    bool too_big = false;           // body spooling stopped at MaxMsgSize
    bool header_overflow = false;   // header spooling stopped past 65535 bytes
};

} // namespace sbbs::smtp
