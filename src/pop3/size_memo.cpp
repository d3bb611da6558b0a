// SizeMemo: a bounded map from a message's rendering key to its exact size.
#include "pop3/size_memo.h"

#include <random>

namespace sbbs::pop3 {

namespace {
using KeyHasher = SipHasher<1, 3>;

// Type and length first, so that no two sequences of pieces (each padded
// to whole words) hash as the same bytes.
void add_piece(KeyHasher& h, uint16_t type, std::string_view s) {
    h.add_word(uint64_t(type) << 32 | uint32_t(s.size()));
    h.add_padded(s.data(), s.size());
}
} // namespace

SizeMemo::SizeMemo(size_t capacity) : capacity_(capacity ? capacity : 1) {
    std::random_device rd;                     // getrandom(2) on Linux
    for (auto& word : secret_) word = (uint64_t(rd()) << 32) ^ rd();
}

SizeKey SizeMemo::key(const smb::MessageHeader& h, const RenderContext& ctx) const {
    KeyHasher k(secret_[0], secret_[1], true);
    // Every member of the header but attr and type (READ/DELETE marks do not
    // change the rendering), in a fixed order; then the settings.
    const uint64_t scalars[] = {h.version, h.auxattr, h.netattr, h.when_written.year, h.when_written.time,
                                uint64_t(int64_t(h.when_written.zone)), h.when_imported_time,
                                uint64_t(int64_t(h.when_imported_zone)), h.number, h.thread_back, h.thread_next,
                                h.thread_first, h.delivery_attempts, uint64_t(int64_t(h.votes)), h.thread_id,
                                h.priority, h.offset, h.header_offset, h.dfields.size(), h.fields.size()};
    k.add_padded(scalars, sizeof scalars);
    for (auto& d : h.dfields) {
        k.add_word(uint64_t(d.type) << 32 | d.offset);
        k.add_word(d.length);
    }
    for (auto& f : h.fields) add_piece(k, f.type, f.data);
    for (const std::string* s : {&ctx.host_name, &ctx.inet_addr, &ctx.system_name, &ctx.qwk_id,
                                 &ctx.operator_name, &ctx.data_dir})
        add_piece(k, 0, *s);
    k.add_word(ctx.exact_text);
    k.add_word(ctx.utf8_headers);          // RFC 6856: raw UTF-8 header fields are other octets
    return k.finish();
}

std::optional<size_t> SizeMemo::find(const SizeKey& key) const {
    std::lock_guard g(mu_);
    auto it = sizes_.find(key);
    if (it == sizes_.end()) return std::nullopt;
    return it->second;
}

void SizeMemo::remember(const SizeKey& key, size_t octets) {
    std::lock_guard g(mu_);
    auto [it, added] = sizes_.insert_or_assign(key, octets);
    if (!added) return;
    order_.push_back(&it->first);
    while (sizes_.size() > capacity_) {
        auto oldest = sizes_.find(*order_.front());   // found before the erase frees the key it points at
        order_.pop_front();
        sizes_.erase(oldest);
    }
}

size_t SizeMemo::size() const {
    std::lock_guard g(mu_);
    return sizes_.size();
}

} // namespace sbbs::pop3
