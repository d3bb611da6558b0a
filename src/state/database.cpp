// Opening, configuring and migrating the state database.
#include "state/database.h"

#include "state/schema.h"

#include <filesystem>
#include <random>
#include <sqlite3.h>

namespace sbbs {

namespace {

std::string random_bytes(size_t n) {
    std::random_device rd;
    std::string out(n, '\0');
    for (auto& c : out) c = static_cast<char>(rd() & 0xFF);
    return out;
}

// The salt row is created once, inside the migration lock's protection of
// BEGIN IMMEDIATE, so two processes opening a new file agree on it.
Result<std::string> load_salt(sqlite3* db) {
    if (auto s = exec_sql(db, "BEGIN IMMEDIATE"); !s) return s.error();
    auto ins = SqlStatement::prepare(db, "INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', ?1)");
    Status st = ins ? ins->bind_blob(1, random_bytes(16)).run() : Status(ins.error());
    auto sel = SqlStatement::prepare(db, "SELECT value FROM meta WHERE key='salt'");
    std::string salt;
    if (st && sel) {
        auto row = sel->step();
        if (!row) st = row.error();
        else if (*row) salt = sel->column_blob(0);
    } else if (st) {
        st = sel.error();
    }
    if (st) st = exec_sql(db, "COMMIT");
    if (!st) {
        (void)exec_sql(db, "ROLLBACK");
        return st.error();
    }
    return salt;
}

} // namespace

DbTransaction::~DbTransaction() {
    if (!done_ && db_) (void)exec_sql(db_, "ROLLBACK");
}

Status DbTransaction::commit() {
    done_ = true;
    if (auto s = exec_sql(db_, "COMMIT"); !s) {
        (void)exec_sql(db_, "ROLLBACK");
        return s;
    }
    return {};
}

Result<DbTransaction> Database::start(const char* begin_sql) {
    std::unique_lock lock(mutex_);
    if (auto s = exec_sql(db_.get(), begin_sql); !s) return s.error();
    return DbTransaction(std::move(lock), db_.get());
}

Result<DbTransaction> Database::begin() { return start("BEGIN IMMEDIATE"); }
Result<DbTransaction> Database::begin_read() { return start("BEGIN"); }

Status Database::initialise(std::chrono::milliseconds busy_timeout) {
    sqlite3* db = db_.get();
    sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
    // WAL: readers never block the writer; NORMAL sync is durable enough for
    // counters and caches and much cheaper per write.
    if (auto s = exec_sql(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"); !s) return s;
    auto v = migrate_schema(db);
    if (!v) return v.error();
    schema_version_ = *v;
    auto salt = load_salt(db);
    if (!salt) return salt.error();
    salt_ = *salt;
    return {};
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, std::chrono::milliseconds busy_timeout) {
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    auto conn = open_sqlite(path);
    if (!conn) return conn.error();
    std::unique_ptr<Database> db(new Database(std::move(*conn), path));
    if (auto s = db->initialise(busy_timeout); !s)
        return make_error(path + ": " + s.error().message, s.error().code);
    return db;
}

std::string state_db_path(const std::string& data_dir) { return data_dir + "sbbsmail.db"; }

} // namespace sbbs
