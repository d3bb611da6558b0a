// The server's own state database (issue #3 item 8): data/sbbsmail.db, in
// WAL mode with a busy timeout, schema created and migrated on open. Never
// holds mail. One connection shared by all session threads; a DbTransaction
// gives one thread exclusive use of it for a read-modify-write.
#pragma once

#include "state/sqlite_handle.h"
#include "util/result.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace sbbs {

class Database;

// BEGIN IMMEDIATE ... COMMIT, rolled back unless commit() succeeds. Holds
// the database's lock for its lifetime.
class DbTransaction {
public:
    DbTransaction(DbTransaction&& other) noexcept
        : lock_(std::move(other.lock_)), db_(std::exchange(other.db_, nullptr)), done_(other.done_) {}
    DbTransaction& operator=(DbTransaction&&) = delete;
    ~DbTransaction();
    Status commit();
    sqlite3* db() const { return db_; }

private:
    friend class Database;
    DbTransaction(std::unique_lock<std::mutex> lock, sqlite3* db) : lock_(std::move(lock)), db_(db) {}
    std::unique_lock<std::mutex> lock_;
    sqlite3* db_;
    bool done_ = false;
};

class Database {
public:
    static constexpr std::chrono::milliseconds kDefaultBusyTimeout{5000};

    // Creates the file (and its schema) when missing; refuses a file whose
    // schema is newer than this program knows.
    static Result<std::unique_ptr<Database>> open(const std::string& path,
                                                  std::chrono::milliseconds busy_timeout = kDefaultBusyTimeout);
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // A write transaction (BEGIN IMMEDIATE: takes SQLite's write lock now,
    // so a read-modify-write cannot deadlock on upgrade).
    Result<DbTransaction> begin();
    // A read-only snapshot (deferred BEGIN).
    Result<DbTransaction> begin_read();
    const std::string& path() const { return path_; }
    int schema_version() const { return schema_version_; }
    // Random per-database salt for password digests (created with the file).
    const std::string& salt() const { return salt_; }

private:
    Database(SqliteConnection db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}
    Status initialise(std::chrono::milliseconds busy_timeout);
    Result<DbTransaction> start(const char* begin_sql);

    std::mutex mutex_;
    SqliteConnection db_;
    std::string path_;
    int schema_version_ = 0;
    std::string salt_;
};

// data/sbbsmail.db for a data directory ending in '/'.
std::string state_db_path(const std::string& data_dir);

} // namespace sbbs
