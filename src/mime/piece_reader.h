// Byte access to a spooled message body held in pieces (TextPieces), so the
// BINARYMIME converter can scan and copy it without joining it into one
// buffer: sequential access costs a comparison per byte, a jump a binary search.
#pragma once

#include "util/text_pieces.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace sbbs::mime {

class PieceReader {
public:
    explicit PieceReader(const TextPieces& text);

    size_t size() const { return size_; }
    // The byte at `pos` (pos < size()).
    unsigned char at(size_t pos) {
        if (pos - start_ >= piece_.size()) seek(pos);
        return static_cast<unsigned char>(piece_[pos - start_]);
    }
    // Calls `span(std::string_view)` for [from, to) in order, piece by piece.
    template <class Span>
    void each_span(size_t from, size_t to, Span&& span) {
        while (from < to) {
            at(from);
            std::string_view s = piece_.substr(from - start_, to - from);
            span(s);
            from += s.size();
        }
    }

private:
    void seek(size_t pos);

    const std::vector<std::string_view>& pieces_;
    std::vector<size_t> starts_;    // offset of each piece
    size_t size_ = 0;
    size_t index_ = 0;              // the current piece
    size_t start_ = 0;
    std::string_view piece_;
};

} // namespace sbbs::mime
