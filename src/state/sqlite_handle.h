// RAII owners of SQLite's connection and statement handles, with the few
// binding/reading calls the state tables need; errors become Result/Status.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace sbbs {

struct SqliteCloser {
    void operator()(sqlite3* db) const;
};
using SqliteConnection = std::unique_ptr<sqlite3, SqliteCloser>;

// Opens (creating) a database file in serialized-threading mode.
Result<SqliteConnection> open_sqlite(const std::string& path);
// Runs one or more statements without results (schema, pragmas).
Status exec_sql(sqlite3* db, std::string_view sql);

class SqlStatement {
public:
    static Result<SqlStatement> prepare(sqlite3* db, std::string_view sql);

    // Binding is 1-based as in SQL's ?1, ?2...
    SqlStatement& bind(int index, int64_t value);
    SqlStatement& bind(int index, std::string_view text);
    SqlStatement& bind_blob(int index, std::string_view bytes);
    SqlStatement& bind_null(int index);

    // true: a row is ready; false: done.
    Result<bool> step();
    // Runs a statement that returns no rows.
    Status run();
    void reset();

    int64_t column_int(int index) const;         // 0-based, as SQLite's API
    std::string column_text(int index) const;
    std::string column_blob(int index) const;
    bool column_is_null(int index) const;

private:
    struct Finalizer {
        void operator()(sqlite3_stmt* s) const;
    };
    SqlStatement(sqlite3* db, sqlite3_stmt* s) : db_(db), stmt_(s) {}
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// The last error of a connection, with the operation that failed.
Error sqlite_error(sqlite3* db, std::string_view what);

} // namespace sbbs
