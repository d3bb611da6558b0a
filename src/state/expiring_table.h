// The upkeep shared by state tables whose rows carry an `expires` column
// (DNSBL answers, DNS records): pruning, the row cap and the row count, so
// each cache keeps only its own columns.
#pragma once

#include "state/clock.h"
#include "state/database.h"
#include "util/result.h"

#include <cstdint>
#include <mutex>
#include <string>

namespace sbbs {

class ExpiringTable {
public:
    // `table` is a fixed name from the schema, never input.
    ExpiringTable(Database& db, WallClock clock, std::string table, int64_t max_rows)
        : db_(db), clock_(std::move(clock)), table_(std::move(table)), max_rows_(max_rows) {}

    int64_t now() const { return clock_(); }
    // Call after each write, outside its transaction: every kPruneEvery writes
    // or once a minute, expired rows out, then the soonest to expire beyond the cap.
    Status after_write();
    Result<int64_t> prune();            // drops expired rows; returns how many
    Result<int64_t> size();

private:
    Database& db_;
    WallClock clock_;
    std::string table_;
    int64_t max_rows_;
    std::mutex mu_;                     // guards the two counters below
    uint32_t writes_ = 0;
    int64_t last_prune_ = 0;
};

} // namespace sbbs
