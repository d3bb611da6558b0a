#include "state/database.h"
#include "state/schema.h"
#include "state/sqlite_handle.h"
#include "temp_db.h"

#include <catch.hpp>

#include <sqlite3.h>

using namespace sbbs;
using sbbs::test::TempDb;

namespace {

std::string pragma(sqlite3* db, const char* sql) {
    auto q = SqlStatement::prepare(db, sql);
    REQUIRE(q.ok());
    auto row = q->step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    return q->column_text(0);
}

} // namespace

TEST_CASE("state database is created on start under the data dir, WAL, versioned", "[state]") {
    TempDb t;
    CHECK(t.path() == t.dir.string() + "/sbbsmail.db");
    CHECK(std::filesystem::exists(t.path()));
    CHECK(t.db->schema_version() == latest_schema_version());
    CHECK(t.db->salt().size() == 16);
    auto tx = t.db->begin_read();
    REQUIRE(tx.ok());
    CHECK(pragma(tx->db(), "PRAGMA journal_mode") == "wal");
    CHECK(pragma(tx->db(), "SELECT version FROM schema_version") == std::to_string(latest_schema_version()));
    CHECK(pragma(tx->db(), "SELECT count(*) FROM sqlite_master WHERE name IN "
                           "('login_attempts','dnsbl_cache','deliveries')") == "3");
}

TEST_CASE("reopening keeps the salt and the version", "[state]") {
    TempDb t;
    const std::string salt = t.db->salt();
    t.reopen();
    CHECK(t.db->salt() == salt);
    CHECK(t.db->schema_version() == latest_schema_version());
}

TEST_CASE("a database written by a newer sbbsmail is refused with its path", "[state]") {
    TempDb t;
    {
        auto tx = t.db->begin();
        REQUIRE(tx.ok());
        REQUIRE(exec_sql(tx->db(), "UPDATE schema_version SET version=99").ok());
        REQUIRE(tx->commit().ok());
    }
    t.db.reset();
    auto again = Database::open(t.path());
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().message.find("newer") != std::string::npos);
    CHECK(again.error().message.find(t.path()) != std::string::npos);
}

TEST_CASE("a transaction not committed is rolled back", "[state]") {
    TempDb t;
    {
        auto tx = t.db->begin();
        REQUIRE(tx.ok());
        REQUIRE(exec_sql(tx->db(), "INSERT INTO meta VALUES ('k', 'v')").ok());
    }
    auto tx = t.db->begin_read();
    REQUIRE(tx.ok());
    CHECK(pragma(tx->db(), "SELECT count(*) FROM meta WHERE key='k'") == "0");
}

TEST_CASE("a writer blocked by another process gets Locked after the busy timeout", "[state]") {
    TempDb t;
    auto other = Database::open(t.path(), std::chrono::milliseconds(50));
    REQUIRE(other.ok());
    auto held = t.db->begin();
    REQUIRE(held.ok());
    auto blocked = (*other)->begin();
    REQUIRE_FALSE(blocked.ok());
    CHECK(blocked.error().code == ErrorCode::Locked);
}

TEST_CASE("statement errors come back as Error, not exceptions", "[state]") {
    TempDb t;
    auto tx = t.db->begin_read();
    REQUIRE(tx.ok());
    auto bad = SqlStatement::prepare(tx->db(), "SELECT nonsense FROM nowhere");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("nowhere") != std::string::npos);
}
