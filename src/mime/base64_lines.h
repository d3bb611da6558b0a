// Base64 (RFC 2045 6.8) written straight into a ChunkedText in lines of 76
// characters joined by CR LF, fed in pieces of any size: the converter
// encodes a part of any length without a contiguous copy of it.
#pragma once

#include "util/text_pieces.h"

#include <string>
#include <string_view>

namespace sbbs::mime {

class Base64Lines {
public:
    explicit Base64Lines(ChunkedText& out) : out_(out) {}
    void feed(std::string_view data);
    // Writes what is left; no CR LF after the last line (a delimiter's follows).
    void finish();

private:
    void line();

    ChunkedText& out_;
    std::string group_;          // up to 57 octets: one line's worth
    std::string buffered_;       // encoded lines not yet appended
    bool first_ = true;
};

} // namespace sbbs::mime
