// Text held in several contiguous pieces, so that a large message body is
// received, stored and written without ever being copied into one buffer
// (SEC-11): ChunkedText holds it as it arrives, TextPieces lends it out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

// A read-only view of text in pieces. It owns nothing: whatever holds the
// bytes (a std::string, a ChunkedText) must outlive it. A temporary string
// is refused, as it would be gone before the view is used.
class TextPieces {
public:
    TextPieces() = default;
    TextPieces(std::string_view s);                          // one piece
    TextPieces(const std::string& s) : TextPieces(std::string_view(s)) {}
    TextPieces(const char* s) : TextPieces(std::string_view(s)) {}
    TextPieces(std::string&&) = delete;
    explicit TextPieces(std::vector<std::string_view> pieces);

    const std::vector<std::string_view>& pieces() const { return pieces_; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    // One contiguous copy: for small texts (telegrams, tests) only.
    std::string str() const;
    // The text as one view: the single piece itself, else a copy kept in `scratch`.
    std::string_view contiguous(std::string& scratch) const;
    bool operator==(std::string_view s) const;

private:
    std::vector<std::string_view> pieces_;
    size_t size_ = 0;
};

// Append-only text in chunks of about CHUNK bytes. Once the text is past
// its first chunk, growing it never moves what it holds (a std::string's
// doubling copies it all and, for a moment, holds it twice); a short text
// stays in one small piece. One append is never split across two pieces
// when it fits in a chunk, so pieces end where appends end (whole lines).
class ChunkedText {
public:
    static constexpr size_t CHUNK = 256 * 1024;

    void append(std::string_view s);
    TextPieces view() const;
    // Frees every chunk that ends at or before `offset`, for a consumer that
    // reads the text once in order and writes a new one (the BINARYMIME
    // conversion): the old text shrinks as the new grows. Views taken
    // earlier must not be read before `offset` afterwards; size() is unchanged.
    void release_before(size_t offset);
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

private:
    std::vector<std::string> chunks_;
    size_t size_ = 0;
    size_t released_ = 0;           // chunks freed by release_before
    size_t released_end_ = 0;       // where the first kept chunk starts
};

} // namespace sbbs
