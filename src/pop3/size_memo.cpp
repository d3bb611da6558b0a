// SizeMemo: a bounded map from a message's rendering key to its exact size.
#include "pop3/size_memo.h"

#include "msgbase/codec.h"

#include <openssl/evp.h>

namespace sbbs::pop3 {

namespace {
void add_field(std::string& out, std::string_view s) {
    out += std::to_string(s.size());
    out += ':';
    out += s;
}
} // namespace

std::optional<std::string> size_key(const smb::MessageHeader& h, const RenderContext& ctx) {
    smb::MessageHeader stable = h;
    stable.attr = 0;                     // READ/DELETE marks do not change the rendering
    stable.type = 0;                     // derived from attr
    auto bytes = smb::encode_header(stable);   // fields, dfields, data offset, auxattr, dates, number
    if (!bytes) return std::nullopt;
    std::string in = std::move(*bytes);
    in += "|" + std::to_string(h.header_offset);
    for (const std::string* s : {&ctx.host_name, &ctx.inet_addr, &ctx.system_name, &ctx.qwk_id,
                                 &ctx.operator_name, &ctx.data_dir})
        add_field(in, *s);
    in += ctx.exact_text ? "X" : "O";
    if (ctx.utf8_headers) in += "U";     // RFC 6856: other octets; absent keeps the older keys
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!EVP_Digest(in.data(), in.size(), digest, &len, EVP_sha256(), nullptr)) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(digest), len);
}

std::optional<size_t> SizeMemo::find(const std::string& key) const {
    std::lock_guard g(mu_);
    auto it = sizes_.find(key);
    if (it == sizes_.end()) return std::nullopt;
    return it->second;
}

void SizeMemo::remember(const std::string& key, size_t octets) {
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
