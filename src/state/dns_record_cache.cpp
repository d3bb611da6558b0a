// DNS answers of mail authentication in the state database (see dns_record_cache.h).
#include "state/dns_record_cache.h"

#include <sqlite3.h>

namespace sbbs {

std::string join_records(const std::vector<std::string>& records) {
    std::string out;
    for (const std::string& r : records) out += std::to_string(r.size()) + ":" + r;
    return out;
}

std::optional<std::vector<std::string>> split_records(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        size_t colon = text.find(':');
        if (colon == 0 || colon == std::string_view::npos || colon > 5) return std::nullopt;
        size_t len = 0;
        for (char c : text.substr(0, colon)) {
            if (c < '0' || c > '9') return std::nullopt;
            len = len * 10 + size_t(c - '0');
        }
        if (len > text.size() - colon - 1) return std::nullopt;
        out.emplace_back(text.substr(colon + 1, len));
        text.remove_prefix(colon + 1 + len);
    }
    return out;
}

Status DnsRecordCache::put(std::string_view name, int type, int status, const std::vector<std::string>& records,
                           uint32_t ttl_s) {
    if (auto s = write(name, type, status, records, ttl_s); !s) return s;
    return maybe_prune();
}

Status DnsRecordCache::write(std::string_view name, int type, int status, const std::vector<std::string>& records,
                             uint32_t ttl_s) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(),
        "INSERT OR REPLACE INTO dns_records (name, type, status, records, expires) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!q) return q.error();
    const std::string joined = join_records(records);
    q->bind(1, name).bind(2, int64_t{type}).bind(3, int64_t{status}).bind(4, std::string_view(joined))
        .bind(5, clock_() + int64_t{ttl_s});
    if (auto s = q->run(); !s) return s;
    return tx->commit();
}

Result<std::optional<CachedDnsAnswer>> DnsRecordCache::get(std::string_view name, int type) {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(),
        "SELECT status, records, expires FROM dns_records WHERE name=?1 AND type=?2 AND expires>?3");
    if (!q) return q.error();
    q->bind(1, name).bind(2, int64_t{type}).bind(3, clock_());
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return std::optional<CachedDnsAnswer>();
    auto records = split_records(q->column_text(1));
    if (!records) return std::optional<CachedDnsAnswer>();        // unreadable: ask again
    return std::optional<CachedDnsAnswer>(CachedDnsAnswer{int(q->column_int(0)), std::move(*records),
                                                          q->column_int(2)});
}

Status DnsRecordCache::maybe_prune() {
    constexpr uint32_t kPruneEvery = 64;
    const int64_t now = clock_();
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (++writes_ % kPruneEvery != 0 && now - last_prune_ < 60) return {};
        last_prune_ = now;
    }
    if (auto n = prune(); !n) return n.error();
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(),
        "DELETE FROM dns_records WHERE rowid IN (SELECT rowid FROM dns_records ORDER BY expires "
        "LIMIT max(0, (SELECT count(*) FROM dns_records) - ?1))");
    if (!q) return q.error();
    if (auto s = q->bind(1, max_rows_).run(); !s) return s;
    return tx->commit();
}

Result<int64_t> DnsRecordCache::prune() {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "DELETE FROM dns_records WHERE expires<=?1");
    if (!q) return q.error();
    if (auto s = q->bind(1, clock_()).run(); !s) return s.error();
    const int64_t n = sqlite3_changes(tx->db());
    if (auto s = tx->commit(); !s) return s.error();
    return n;
}

Result<int64_t> DnsRecordCache::size() {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "SELECT count(*) FROM dns_records");
    if (!q) return q.error();
    auto row = q->step();
    if (!row) return row.error();
    return q->column_int(0);
}

} // namespace sbbs
