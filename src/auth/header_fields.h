// The header fields of a message as received (CRLF lines), each with its
// name and its exact bytes, so mail authentication can count, read and drop
// fields without disturbing the bytes a signature covers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sbbs::auth {

struct HeaderFieldSpan {
    std::string_view name;      // before the colon, trailing blanks removed
    std::string_view value;     // after the colon, continuation lines included, no final CRLF
    size_t begin = 0;           // offset of the field's first byte in the message
    size_t end = 0;             // offset just past its final line ending
};

// Fields up to the empty line that ends the header (or the end of the
// text). A line without a colon that is not a continuation is skipped.
std::vector<HeaderFieldSpan> header_fields(std::string_view message);

} // namespace sbbs::auth
