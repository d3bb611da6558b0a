// DNSBL answer cache in the state database.
#include "state/dnsbl_cache.h"

#include <sqlite3.h>

namespace sbbs {

Status DnsblCache::put(std::string_view ip, std::string_view zone, bool listed, std::string_view result, uint32_t ttl_s) {
    if (auto s = write(ip, zone, listed, result, ttl_s); !s) return s;
    return maybe_prune();                  // after write(): its transaction holds the database
}

Status DnsblCache::write(std::string_view ip, std::string_view zone, bool listed, std::string_view result,
                         uint32_t ttl_s) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(),
        "INSERT OR REPLACE INTO dnsbl_cache (ip, zone, listed, result, expires) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!q) return q.error();
    q->bind(1, ip).bind(2, zone).bind(3, int64_t{listed ? 1 : 0}).bind(4, result).bind(5, clock_() + int64_t{ttl_s});
    if (auto s = q->run(); !s) return s;
    return tx->commit();
}

Status DnsblCache::maybe_prune() {
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
        "DELETE FROM dnsbl_cache WHERE rowid IN (SELECT rowid FROM dnsbl_cache ORDER BY expires "
        "LIMIT max(0, (SELECT count(*) FROM dnsbl_cache) - ?1))");
    if (!q) return q.error();
    if (auto s = q->bind(1, max_rows_).run(); !s) return s;
    return tx->commit();
}

Result<int64_t> DnsblCache::size() {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "SELECT count(*) FROM dnsbl_cache");
    if (!q) return q.error();
    auto row = q->step();
    if (!row) return row.error();
    return q->column_int(0);
}

Result<std::optional<DnsblAnswer>> DnsblCache::get(std::string_view ip, std::string_view zone) {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(),
        "SELECT listed, result, expires FROM dnsbl_cache WHERE ip=?1 AND zone=?2 AND expires>?3");
    if (!q) return q.error();
    q->bind(1, ip).bind(2, zone).bind(3, clock_());
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return std::optional<DnsblAnswer>();
    DnsblAnswer a{std::string(ip), std::string(zone), q->column_int(0) != 0, q->column_text(1), q->column_int(2)};
    return std::optional<DnsblAnswer>(std::move(a));
}

Result<int64_t> DnsblCache::prune() {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "DELETE FROM dnsbl_cache WHERE expires<=?1");
    if (!q) return q.error();
    if (auto s = q->bind(1, clock_()).run(); !s) return s.error();
    const int64_t n = sqlite3_changes(tx->db());
    if (auto s = tx->commit(); !s) return s.error();
    return n;
}

Status DnsblCache::clear() {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    if (auto s = exec_sql(tx->db(), "DELETE FROM dnsbl_cache"); !s) return s;
    return tx->commit();
}

} // namespace sbbs
