// PieceReader (see piece_reader.h).
#include "mime/piece_reader.h"

#include <algorithm>

namespace sbbs::mime {

PieceReader::PieceReader(const TextPieces& text) : pieces_(text.pieces()), size_(text.size()) {
    starts_.reserve(pieces_.size());
    size_t at = 0;
    for (auto p : pieces_) {
        starts_.push_back(at);
        at += p.size();
    }
    if (!pieces_.empty()) piece_ = pieces_.front();
}

void PieceReader::seek(size_t pos) {
    // Most moves are to the next piece; anything else is a binary search.
    if (index_ + 1 < pieces_.size() && pos >= starts_[index_ + 1] &&
        pos - starts_[index_ + 1] < pieces_[index_ + 1].size()) {
        ++index_;
    } else {
        auto it = std::upper_bound(starts_.begin(), starts_.end(), pos);
        index_ = size_t(it - starts_.begin()) - 1;
    }
    start_ = starts_[index_];
    piece_ = pieces_[index_];
}

} // namespace sbbs::mime
