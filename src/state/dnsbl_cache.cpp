// DNSBL answer cache in the state database.
#include "state/dnsbl_cache.h"

namespace sbbs {

Status DnsblCache::put(std::string_view ip, std::string_view zone, bool listed, std::string_view result, uint32_t ttl_s) {
    if (auto s = write(ip, zone, listed, result, ttl_s); !s) return s;
    return rows_.after_write();            // after write(): its transaction holds the database
}

Status DnsblCache::write(std::string_view ip, std::string_view zone, bool listed, std::string_view result,
                         uint32_t ttl_s) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(),
        "INSERT OR REPLACE INTO dnsbl_cache (ip, zone, listed, result, expires) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!q) return q.error();
    q->bind(1, ip).bind(2, zone).bind(3, int64_t{listed ? 1 : 0}).bind(4, result).bind(5, rows_.now() + int64_t{ttl_s});
    if (auto s = q->run(); !s) return s;
    return tx->commit();
}

Result<std::optional<DnsblAnswer>> DnsblCache::get(std::string_view ip, std::string_view zone) {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(),
        "SELECT listed, result, expires FROM dnsbl_cache WHERE ip=?1 AND zone=?2 AND expires>?3");
    if (!q) return q.error();
    q->bind(1, ip).bind(2, zone).bind(3, rows_.now());
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return std::optional<DnsblAnswer>();
    DnsblAnswer a{std::string(ip), std::string(zone), q->column_int(0) != 0, q->column_text(1), q->column_int(2)};
    return std::optional<DnsblAnswer>(std::move(a));
}

Status DnsblCache::clear() {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    if (auto s = exec_sql(tx->db(), "DELETE FROM dnsbl_cache"); !s) return s;
    return tx->commit();
}

} // namespace sbbs
