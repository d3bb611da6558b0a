// Exact POP3 sizes remembered across sessions (issue #13 item 1), so a
// repeat login + STAT of an unchanged mailbox reads headers, not texts.
// Keyed by a keyed 128-bit hash (SipHash-1-3, a secret drawn per memo) of
// everything the rendering reads from the stored header (its fields, data
// field offsets and lengths, aux attributes, dates, number and place in the
// base; not attr, which READ marks change) and of the render settings: a
// rewritten, renumbered or edited message, a recreated base or a changed
// setting gives another key, never a stale size, and without the secret no
// sender can make two headers share one. Messages with file attachments are
// never remembered (their files may change).
#pragma once

#include "mailfmt/render.h"
#include "msgbase/message.h"
#include "pop3/siphash.h"

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace sbbs::pop3 {

using SizeKey = Hash128;

class SizeMemo {
public:
    // At most `capacity` sizes; the oldest go first. Each costs about 72
    // bytes: the map node (48 with malloc's overhead: key, size, cached hash,
    // next), a bucket slot and the order pointer; 14 MB at the default.
    explicit SizeMemo(size_t capacity = 200000);

    // The key of `h` rendered with `ctx`: no allocation, one pass over the fields.
    SizeKey key(const smb::MessageHeader& h, const RenderContext& ctx) const;
    std::optional<size_t> find(const SizeKey& key) const;
    void remember(const SizeKey& key, size_t octets);
    size_t size() const;

private:
    struct KeyHash {
        size_t operator()(const SizeKey& k) const { return size_t(k.lo); }   // already uniform
    };

    uint64_t secret_[2];
    mutable std::mutex mu_;
    size_t capacity_;
    std::unordered_map<SizeKey, size_t, KeyHash> sizes_;
    // Insertion order, for eviction: the map nodes' own keys (a node never
    // moves, so these stay valid across rehashes), not second copies.
    std::deque<const SizeKey*> order_;
};

} // namespace sbbs::pop3
