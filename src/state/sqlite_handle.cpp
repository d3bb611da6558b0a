// Thin RAII layer over the SQLite C API.
#include "state/sqlite_handle.h"

#include <sqlite3.h>

namespace sbbs {

void SqliteCloser::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void SqlStatement::Finalizer::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }

Error sqlite_error(sqlite3* db, std::string_view what) {
    const int code = db ? sqlite3_errcode(db) : SQLITE_ERROR;
    ErrorCode kind = ErrorCode::Io;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) kind = ErrorCode::Locked;
    else if (code == SQLITE_FULL) kind = ErrorCode::DiskFull;
    else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) kind = ErrorCode::Corrupt;
    return make_error(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"), kind);
}

Result<SqliteConnection> open_sqlite(const std::string& path) {
    sqlite3* raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    SqliteConnection db(raw);
    if (rc != SQLITE_OK) return sqlite_error(raw, path);
    return db;
}

Status exec_sql(sqlite3* db, std::string_view sql) {
    const std::string text(sql);
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqlite_error(db, "executing " + text.substr(0, 60));
    return {};
}

Result<SqlStatement> SqlStatement::prepare(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK)
        return sqlite_error(db, "preparing " + std::string(sql.substr(0, 60)));
    return SqlStatement(db, raw);
}

SqlStatement& SqlStatement::bind(int index, int64_t value) {
    sqlite3_bind_int64(stmt_.get(), index, value);
    return *this;
}

SqlStatement& SqlStatement::bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

SqlStatement& SqlStatement::bind_blob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_.get(), index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
}

SqlStatement& SqlStatement::bind_null(int index) {
    sqlite3_bind_null(stmt_.get(), index);
    return *this;
}

Result<bool> SqlStatement::step() {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(db_, "step");
}

Status SqlStatement::run() {
    auto r = step();
    if (!r) return r.error();
    return {};
}

void SqlStatement::reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
}

int64_t SqlStatement::column_int(int index) const { return sqlite3_column_int64(stmt_.get(), index); }

std::string SqlStatement::column_text(int index) const {
    const auto* p = sqlite3_column_text(stmt_.get(), index);
    const int n = sqlite3_column_bytes(stmt_.get(), index);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

std::string SqlStatement::column_blob(int index) const {
    const void* p = sqlite3_column_blob(stmt_.get(), index);
    const int n = sqlite3_column_bytes(stmt_.get(), index);
    return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

bool SqlStatement::column_is_null(int index) const {
    return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL;
}

} // namespace sbbs
