// Exact POP3 sizes remembered across sessions (issue #13 item 1), so a
// repeat login + STAT of an unchanged mailbox reads headers, not texts.
// Keyed by a SHA-256 of everything the rendering reads from the stored
// header (its fields, data field offsets and lengths, aux attributes, dates,
// number and place in the base; not attr, which READ marks change) and of
// the render settings: a rewritten, renumbered or edited message, a
// recreated base or a changed setting gives another key, never a stale size.
// Messages with file attachments are never remembered (their files may change).
#pragma once

#include "mailfmt/render.h"
#include "msgbase/message.h"

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace sbbs::pop3 {

// The key of `h` rendered with `ctx`; nullopt when the header cannot be encoded.
std::optional<std::string> size_key(const smb::MessageHeader& h, const RenderContext& ctx);

class SizeMemo {
public:
    // At most `capacity` sizes (about 100 bytes each); the oldest go first.
    explicit SizeMemo(size_t capacity = 200000) : capacity_(capacity ? capacity : 1) {}

    std::optional<size_t> find(const std::string& key) const;
    void remember(const std::string& key, size_t octets);
    size_t size() const;

private:
    mutable std::mutex mu_;
    size_t capacity_;
    std::unordered_map<std::string, size_t> sizes_;
    std::deque<std::string> order_;    // insertion order, for eviction
};

} // namespace sbbs::pop3
