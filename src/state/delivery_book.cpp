// Outbound delivery bookkeeping in the state database.
#include "state/delivery_book.h"

#include <sqlite3.h>

namespace sbbs {

namespace {

constexpr std::string_view kNames[] = {"queued", "in-transit", "retry", "delivered", "failed"};
constexpr std::string_view kColumns = "msg_number, attempts, next_try, state, last_error, updated";

DeliveryRecord read_row(const SqlStatement& q) {
    DeliveryRecord r;
    r.msg_number = static_cast<uint32_t>(q.column_int(0));
    r.attempts = static_cast<uint32_t>(q.column_int(1));
    r.next_try = q.column_int(2);
    r.state = parse_delivery_state(q.column_text(3)).value_or(DeliveryState::Retry);
    r.last_error = q.column_text(4);
    r.updated = q.column_int(5);
    return r;
}

Result<std::optional<DeliveryRecord>> load(sqlite3* db, uint32_t msg) {
    auto q = SqlStatement::prepare(db, "SELECT " + std::string(kColumns) + " FROM deliveries WHERE msg_number=?1");
    if (!q) return q.error();
    q->bind(1, int64_t{msg});
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return std::optional<DeliveryRecord>();
    return std::optional<DeliveryRecord>(read_row(*q));
}

} // namespace

std::string_view delivery_state_name(DeliveryState s) { return kNames[static_cast<int>(s)]; }

std::optional<DeliveryState> parse_delivery_state(std::string_view name) {
    for (size_t i = 0; i < std::size(kNames); ++i)
        if (kNames[i] == name) return static_cast<DeliveryState>(i);
    return std::nullopt;
}

Status DeliveryBook::upsert(sqlite3* db, const DeliveryRecord& r) {
    auto q = SqlStatement::prepare(db,
        "INSERT OR REPLACE INTO deliveries (" + std::string(kColumns) + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!q) return q.error();
    q->bind(1, int64_t{r.msg_number}).bind(2, int64_t{r.attempts}).bind(3, r.next_try);
    q->bind(4, delivery_state_name(r.state)).bind(5, r.last_error).bind(6, r.updated);
    return q->run();
}

Result<std::optional<DeliveryRecord>> DeliveryBook::get(uint32_t msg_number) {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    return load(tx->db(), msg_number);
}

Status DeliveryBook::start(uint32_t msg_number) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto cur = load(tx->db(), msg_number);
    if (!cur) return cur.error();
    DeliveryRecord r = cur->value_or(DeliveryRecord{msg_number, 0, 0, DeliveryState::Queued, {}, 0});
    r.state = DeliveryState::InTransit;
    r.updated = clock_();
    if (auto s = upsert(tx->db(), r); !s) return s;
    return tx->commit();
}

Result<DeliveryRecord> DeliveryBook::failed(uint32_t msg_number, std::string_view error, int64_t next_try) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto cur = load(tx->db(), msg_number);
    if (!cur) return cur.error();
    DeliveryRecord r = cur->value_or(DeliveryRecord{msg_number, 0, 0, DeliveryState::Queued, {}, 0});
    ++r.attempts;
    r.state = DeliveryState::Retry;
    r.next_try = next_try;
    r.last_error = std::string(error);
    r.updated = clock_();
    if (auto s = upsert(tx->db(), r); !s) return s.error();
    if (auto s = tx->commit(); !s) return s.error();
    return r;
}

Status DeliveryBook::finish(uint32_t msg_number, DeliveryState final_state) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto cur = load(tx->db(), msg_number);
    if (!cur) return cur.error();
    DeliveryRecord r = cur->value_or(DeliveryRecord{msg_number, 0, 0, DeliveryState::Queued, {}, 0});
    r.state = final_state;
    r.updated = clock_();
    if (auto s = upsert(tx->db(), r); !s) return s;
    return tx->commit();
}

Result<std::vector<DeliveryRecord>> DeliveryBook::due(size_t limit) {
    auto tx = db_.begin_read();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "SELECT " + std::string(kColumns) +
        " FROM deliveries WHERE state IN ('queued', 'retry') AND next_try<=?1 ORDER BY next_try, msg_number LIMIT ?2");
    if (!q) return q.error();
    q->bind(1, clock_()).bind(2, static_cast<int64_t>(limit));
    std::vector<DeliveryRecord> out;
    for (;;) {
        auto row = q->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(read_row(*q));
    }
    return out;
}

Result<int64_t> DeliveryBook::recover_in_transit() {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "UPDATE deliveries SET state='retry', next_try=?1, updated=?1 WHERE state='in-transit'");
    if (!q) return q.error();
    if (auto s = q->bind(1, clock_()).run(); !s) return s.error();
    const int64_t n = sqlite3_changes(tx->db());
    if (auto s = tx->commit(); !s) return s.error();
    return n;
}

Status DeliveryBook::forget(uint32_t msg_number) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto q = SqlStatement::prepare(tx->db(), "DELETE FROM deliveries WHERE msg_number=?1");
    if (!q) return q.error();
    if (auto s = q->bind(1, int64_t{msg_number}).run(); !s) return s;
    return tx->commit();
}

} // namespace sbbs
