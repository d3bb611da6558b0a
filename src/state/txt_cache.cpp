// TXT answer cache in the state database (see txt_cache.h).
#include "state/txt_cache.h"

#include <charconv>

namespace sbbs {

std::string encode_txt_records(const std::vector<std::string>& records) {
    std::string out;
    for (auto& r : records) out += std::to_string(r.size()) + ":" + r;
    return out;
}

std::optional<std::vector<std::string>> decode_txt_records(std::string_view blob) {
    std::vector<std::string> out;
    while (!blob.empty()) {
        size_t colon = blob.find(':');
        size_t n = 0;
        if (colon == std::string_view::npos) return std::nullopt;
        auto [end, ec] = std::from_chars(blob.data(), blob.data() + colon, n);
        if (ec != std::errc() || end != blob.data() + colon || n > blob.size() - colon - 1) return std::nullopt;
        out.emplace_back(blob.substr(colon + 1, n));
        blob.remove_prefix(colon + 1 + n);
    }
    return out;
}

Status TxtCache::put(std::string_view name, const TxtCacheEntry& entry, uint32_t ttl_s) {
    if (auto s = write(name, entry, ttl_s); !s) return s;
    return maybe_prune();                  // after write(): its transaction holds the database
}

Status TxtCache::write(std::string_view name, const TxtCacheEntry& entry, uint32_t ttl_s) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(),
        "INSERT OR REPLACE INTO auth_txt_cache (name, status, records, expires) VALUES (?1, ?2, ?3, ?4)");
    if (!q) return q.error();
    q->bind(1, name).bind(2, int64_t(entry.kind)).bind_blob(3, encode_txt_records(entry.records));
    q->bind(4, clock_() + int64_t{ttl_s});
    if (auto s = q->run(); !s) return s;
    return tx->commit();
}

Status TxtCache::maybe_prune() {
    constexpr uint32_t kPruneEvery = 64;
    const int64_t now = clock_();
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (++writes_ % kPruneEvery != 0 && now - last_prune_ < 60) return {};
        last_prune_ = now;
    }
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto expired = SqlStatement::prepare(tx->db(), "DELETE FROM auth_txt_cache WHERE expires<=?1");
    if (!expired) return expired.error();
    if (auto s = expired->bind(1, now).run(); !s) return s;
    auto over = SqlStatement::prepare(tx->db(),
        "DELETE FROM auth_txt_cache WHERE rowid IN (SELECT rowid FROM auth_txt_cache ORDER BY expires "
        "LIMIT max(0, (SELECT count(*) FROM auth_txt_cache) - ?1))");
    if (!over) return over.error();
    if (auto s = over->bind(1, max_rows_).run(); !s) return s;
    return tx->commit();
}

Result<std::optional<TxtCacheEntry>> TxtCache::get(std::string_view name) {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(),
        "SELECT status, records, expires FROM auth_txt_cache WHERE name=?1 AND expires>?2");
    if (!q) return q.error();
    q->bind(1, name).bind(2, clock_());
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return std::optional<TxtCacheEntry>();
    auto records = decode_txt_records(q->column_blob(1));
    const int64_t kind = q->column_int(0);
    if (!records || kind < 0 || kind > 2) return std::optional<TxtCacheEntry>();   // damaged: look up again
    TxtCacheEntry e{TxtCacheEntry::Kind(kind), std::move(*records), q->column_int(2)};
    return std::optional<TxtCacheEntry>(std::move(e));
}

Result<int64_t> TxtCache::size() {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "SELECT count(*) FROM auth_txt_cache");
    if (!q) return q.error();
    auto row = q->step();
    if (!row) return row.error();
    return q->column_int(0);
}

} // namespace sbbs
