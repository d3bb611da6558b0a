// BODY=BINARYMIME (RFC 3030 section 3) made storable: the mail base holds
// text (CR LF lines, no NUL, no Ctrl-A), so a message received as binary
// MIME is turned into the equivalent 7bit/8bit MIME message before it is
// stored, as RFC 3030 section 3 allows (no loss of information, no nested
// encodings). Every leaf part that is labelled `binary` or whose content is
// not storable text gets its content base64-encoded and its
// Content-Transfer-Encoding replaced; everything else (multipart structure,
// boundaries, preamble, epilogue, other headers, parts already storable)
// is copied byte for byte. Scanning is linear in the body and bounded
// (nesting depth, part count, part header size).
#pragma once

#include "util/text_pieces.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace sbbs::mime {

struct BinaryMimeLimits {
    unsigned max_depth = 16;            // nested multipart and message/rfc822 levels
    unsigned max_parts = 1000;          // body parts in the whole message
    size_t max_part_header = 16 * 1024; // octets of one part's header
};

enum class BinaryMimeOutcome {
    Unchanged,    // already storable: store the body as received
    Parts,        // leaf parts converted (and `binary` containers relabelled 8bit, base64 line ends made CR LF)
    Whole,        // structure unreadable: the whole body as application/octet-stream, base64
    Refused,      // a base64 or quoted-printable part holds binary: converting would nest encodings
};

struct BinaryMimeResult {
    BinaryMimeOutcome outcome = BinaryMimeOutcome::Unchanged;
    unsigned parts = 0;          // leaves converted (Parts)
    unsigned line_end_parts = 0; // base64 leaves whose bare LF/CR line ends became CR LF (Parts)
    std::string reason;          // Whole, Refused: why, for the log and the reply
    std::string header;          // the new top-level header (Parts, Whole)
    ChunkedText body;            // the new body (Parts, Whole)
    unsigned body_lines = 0;     // CR LF lines in `body`
};

// `header`: the top-level header as CR LF lines (no blank line); `body`:
// the body exactly as received; `by`: names the converting host in the
// X-MIME-Autoconverted field each converted entity gets (sendmail's field).
BinaryMimeResult convert_binary_mime(std::string_view header, const TextPieces& body, std::string_view by,
                                     const BinaryMimeLimits& limits = {});
// The same for a spooled body, whose chunks are freed as the new body is
// written (Parts, Whole), so the two together stay near the size of the
// larger one instead of their sum. After Parts or Whole `body` is spent.
BinaryMimeResult convert_binary_mime(std::string_view header, ChunkedText& body, std::string_view by,
                                     const BinaryMimeLimits& limits = {});

} // namespace sbbs::mime
