// Schema migrations of the state database.
#include "state/schema.h"

#include "state/sqlite_handle.h"

#include <string>
#include <string_view>

namespace sbbs {

namespace {

// Append only: an existing entry never changes once released.
constexpr std::string_view kMigrations[] = {
    // 1: login attempts (SMTP-77, POP3-42), DNSBL cache, delivery bookkeeping.
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE login_attempts (
    ip TEXT PRIMARY KEY,
    protocol TEXT NOT NULL,
    user TEXT NOT NULL,
    password_digest BLOB NOT NULL,  -- salted SHA-256; the password itself is never stored
    count INTEGER NOT NULL,
    dupes INTEGER NOT NULL,
    first_time INTEGER NOT NULL,
    last_time INTEGER NOT NULL
);
CREATE TABLE dnsbl_cache (
    ip TEXT NOT NULL,
    zone TEXT NOT NULL,
    listed INTEGER NOT NULL,
    result TEXT NOT NULL,
    expires INTEGER NOT NULL,
    PRIMARY KEY (ip, zone)
);
CREATE TABLE deliveries (
    msg_number INTEGER PRIMARY KEY,
    attempts INTEGER NOT NULL,
    next_try INTEGER NOT NULL,
    state TEXT NOT NULL,
    last_error TEXT NOT NULL,
    updated INTEGER NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (state, next_try);
)sql",
    // 2: DNS answers of inbound mail authentication (SPF, DKIM keys, DMARC
    // policies; issue #16), one cache for all three.
    R"sql(
CREATE TABLE dns_records (
    name TEXT NOT NULL,
    type INTEGER NOT NULL,
    status INTEGER NOT NULL,
    records TEXT NOT NULL,
    expires INTEGER NOT NULL,
    PRIMARY KEY (name, type)
);
CREATE INDEX dns_records_expires ON dns_records (expires);
)sql",
};

Result<int> read_version(sqlite3* db) {
    auto probe = SqlStatement::prepare(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'");
    if (!probe) return probe.error();
    auto row = probe->step();
    if (!row) return row.error();
    if (probe->column_int(0) == 0) return 0;
    auto q = SqlStatement::prepare(db, "SELECT max(version) FROM schema_version");
    if (!q) return q.error();
    auto r = q->step();
    if (!r) return r.error();
    return static_cast<int>(*r ? q->column_int(0) : 0);
}

Status apply(sqlite3* db, int version) {
    if (auto s = exec_sql(db, "BEGIN IMMEDIATE"); !s) return s;
    // Re-read under the write lock: another process may have migrated
    // between our first look and now.
    auto now = read_version(db);
    if (now && *now >= version) return exec_sql(db, "COMMIT");
    Status s = now ? Status() : Status(now.error());
    if (s) s = exec_sql(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    if (s) s = exec_sql(db, kMigrations[version - 1]);
    if (s) s = exec_sql(db, "DELETE FROM schema_version; INSERT INTO schema_version VALUES (" +
                                std::to_string(version) + ")");
    if (s) s = exec_sql(db, "COMMIT");
    if (!s) (void)exec_sql(db, "ROLLBACK");
    return s;
}

} // namespace

int latest_schema_version() { return static_cast<int>(std::size(kMigrations)); }

Result<int> migrate_schema(sqlite3* db) {
    auto current = read_version(db);
    if (!current) return current.error();
    if (*current > latest_schema_version())
        return make_error("schema version " + std::to_string(*current) + " is newer than this sbbsmail knows (" +
                              std::to_string(latest_schema_version()) + ")",
                          ErrorCode::Invalid);
    for (int v = *current + 1; v <= latest_schema_version(); ++v)
        if (auto s = apply(db, v); !s)
            return make_error("migrating to schema " + std::to_string(v) + ": " + s.error().message, s.error().code);
    return latest_schema_version();
}

} // namespace sbbs
