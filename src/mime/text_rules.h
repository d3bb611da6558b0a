// What the mail base can hold as text without loss: CR LF line ends only,
// lines of at most 998 octets (RFC 5322 2.1.1), no NUL (every reader stops
// there) and no Ctrl-A (readers take it for an attribute code). A range
// breaking any of these must be carried base64-encoded instead.
#pragma once

#include "mime/piece_reader.h"
#include "util/text_pieces.h"

#include <cstddef>
#include <string_view>

namespace sbbs::mime {

constexpr size_t kMaxLineOctets = 998;

// Fed a range in order, span by span; `safe()` once the range has ended.
class TextCheck {
public:
    void feed(std::string_view span);
    bool safe() const { return safe_ && !cr_; }   // a CR at the end is a bare CR

private:
    bool safe_ = true;
    bool cr_ = false;
    size_t line_ = 0;
};

bool safe_text(PieceReader& in, size_t from, size_t to);

// Stored text ends with its last line's CR LF, as DATA's always does: adds
// one when missing and says whether it did (a line more).
bool end_line(ChunkedText& body);

// The LF-ended lines of a text.
unsigned count_lines(const TextPieces& text);

// Base64 content (RFC 2045 6.8: alphabet, '=', spaces) whose only fault is
// its line ends, bare LF or bare CR (a Unix client's). Line breaks carry no
// data in base64, so making them CR LF loses nothing and nests no encoding.
bool base64_but_line_ends(PieceReader& in, size_t from, size_t to);

} // namespace sbbs::mime
