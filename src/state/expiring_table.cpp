// Pruning and counting of state tables with an `expires` column (see expiring_table.h).
#include "state/expiring_table.h"

#include <sqlite3.h>

namespace sbbs {

Status ExpiringTable::after_write() {
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
        "DELETE FROM " + table_ + " WHERE rowid IN (SELECT rowid FROM " + table_ + " ORDER BY expires "
        "LIMIT max(0, (SELECT count(*) FROM " + table_ + ") - ?1))");
    if (!q) return q.error();
    if (auto s = q->bind(1, max_rows_).run(); !s) return s;
    return tx->commit();
}

Result<int64_t> ExpiringTable::prune() {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "DELETE FROM " + table_ + " WHERE expires<=?1");
    if (!q) return q.error();
    if (auto s = q->bind(1, clock_()).run(); !s) return s.error();
    const int64_t n = sqlite3_changes(tx->db());
    if (auto s = tx->commit(); !s) return s.error();
    return n;
}

Result<int64_t> ExpiringTable::size() {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "SELECT count(*) FROM " + table_);
    if (!q) return q.error();
    auto row = q->step();
    if (!row) return row.error();
    return q->column_int(0);
}

} // namespace sbbs
