// TextPieces and ChunkedText (see text_pieces.h).
#include "util/text_pieces.h"

#include <algorithm>

namespace sbbs {

TextPieces::TextPieces(std::string_view s) : size_(s.size()) {
    if (!s.empty()) pieces_.push_back(s);
}

TextPieces::TextPieces(std::vector<std::string_view> pieces) {
    for (auto p : pieces) {
        if (p.empty()) continue;
        pieces_.push_back(p);
        size_ += p.size();
    }
}

std::string TextPieces::str() const {
    std::string s;
    s.reserve(size_);
    for (auto p : pieces_) s += p;
    return s;
}

std::string_view TextPieces::contiguous(std::string& scratch) const {
    if (pieces_.size() <= 1) return pieces_.empty() ? std::string_view() : pieces_.front();
    scratch = str();
    return scratch;
}

bool TextPieces::operator==(std::string_view s) const {
    if (s.size() != size_) return false;
    for (auto p : pieces_) {
        if (s.substr(0, p.size()) != p) return false;
        s.remove_prefix(p.size());
    }
    return true;
}

void ChunkedText::append(std::string_view s) {
    if (s.empty()) return;
    if (chunks_.empty() || chunks_.back().size() + s.size() > CHUNK) {
        // The first chunk grows as a string does (a short message stays
        // small); the later ones are reserved whole, so they never move.
        chunks_.emplace_back();
        if (chunks_.size() > 1) chunks_.back().reserve(std::max(CHUNK, s.size()));
    }
    chunks_.back() += s;
    size_ += s.size();
}

void ChunkedText::release_before(size_t offset) {
    while (released_ < chunks_.size() && released_end_ + chunks_[released_].size() <= offset) {
        released_end_ += chunks_[released_].size();
        std::string().swap(chunks_[released_]);   // gives the memory back, not just the length
        ++released_;
    }
}

TextPieces ChunkedText::view() const {
    return TextPieces(std::vector<std::string_view>(chunks_.begin(), chunks_.end()));
}

} // namespace sbbs
