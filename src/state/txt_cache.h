// Remembered TXT answers for mail authentication (DKIM keys, _dmarc
// policies; #16 item 4): kept for the answer's TTL so a burst of mail from
// one domain costs one look-up. "No such name" and "no TXT" are kept too.
#pragma once

#include "state/clock.h"
#include "state/database.h"
#include "util/result.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

struct TxtCacheEntry {
    enum class Kind { Records = 0, NxDomain = 1, NoData = 2 };
    Kind kind = Kind::Records;
    std::vector<std::string> records;
    int64_t expires = 0;
};

class TxtCache {
public:
    // At most `max_rows` names: a message naming thousands of selectors must
    // not grow the state database without bound.
    explicit TxtCache(Database& db, WallClock clock = system_seconds, int64_t max_rows = 20000)
        : db_(db), clock_(std::move(clock)), max_rows_(max_rows) {}

    Status put(std::string_view name, const TxtCacheEntry& entry, uint32_t ttl_s);
    // The unexpired answer, if any.
    Result<std::optional<TxtCacheEntry>> get(std::string_view name);
    Result<int64_t> size();

private:
    Status write(std::string_view name, const TxtCacheEntry& entry, uint32_t ttl_s);
    // Every kPruneEvery writes or once a minute: expired rows out, then the
    // soonest to expire beyond max_rows_.
    Status maybe_prune();

    Database& db_;
    WallClock clock_;
    int64_t max_rows_;
    std::mutex mu_;                 // guards the two counters below
    uint32_t writes_ = 0;
    int64_t last_prune_ = 0;
};

// The records column's form, public for the tests.
std::string encode_txt_records(const std::vector<std::string>& records);
std::optional<std::vector<std::string>> decode_txt_records(std::string_view blob);

} // namespace sbbs
