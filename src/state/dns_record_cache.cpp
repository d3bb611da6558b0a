// DNS answers of mail authentication in the state database (see dns_record_cache.h).
#include "state/dns_record_cache.h"

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
    return rows_.after_write();            // after write(): its transaction holds the database
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
        .bind(5, rows_.now() + int64_t{ttl_s});
    if (auto s = q->run(); !s) return s;
    return tx->commit();
}

Result<std::optional<CachedDnsAnswer>> DnsRecordCache::get(std::string_view name, int type) {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(),
        "SELECT status, records, expires FROM dns_records WHERE name=?1 AND type=?2 AND expires>?3");
    if (!q) return q.error();
    q->bind(1, name).bind(2, int64_t{type}).bind(3, rows_.now());
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return std::optional<CachedDnsAnswer>();
    auto records = split_records(q->column_text(1));
    if (!records) return std::optional<CachedDnsAnswer>();        // unreadable: ask again
    return std::optional<CachedDnsAnswer>(CachedDnsAnswer{int(q->column_int(0)), std::move(*records),
                                                          q->column_int(2)});
}

} // namespace sbbs
