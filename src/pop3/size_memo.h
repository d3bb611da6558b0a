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
    // At most `capacity` sizes; the oldest go first. Each costs about 130
    // bytes: the map node (64), the 32-byte key's own allocation (48), a
    // bucket slot and the order pointer (8 each); 26 MB at the default.
    explicit SizeMemo(size_t capacity = 200000) : capacity_(capacity ? capacity : 1) {}

    std::optional<size_t> find(const std::string& key) const;
    void remember(const std::string& key, size_t octets);
    size_t size() const;

private:
    mutable std::mutex mu_;
    size_t capacity_;
    std::unordered_map<std::string, size_t> sizes_;
    // Insertion order, for eviction: the map nodes' own keys (a node never
    // moves, so these stay valid across rehashes), not second copies.
    std::deque<const std::string*> order_;
};

} // namespace sbbs::pop3
