// Remembered DNSBL answers (SMTP-237) per client IP and zone, so a client
// that reconnects within the TTL does not cost another look-up per zone.
// Negative answers are cached too (listed=false, empty result).
#pragma once

#include "state/clock.h"
#include "state/database.h"
#include "state/expiring_table.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sbbs {

struct DnsblAnswer {
    std::string ip;
    std::string zone;
    bool listed = false;
    std::string result;   // the A record returned, e.g. "127.0.0.2"
    int64_t expires = 0;
};

class DnsblCache {
public:
    // At most `max_rows` answers are kept: a client naming many relays in
    // Received: lines must not grow the state database without bound.
    explicit DnsblCache(Database& db, WallClock clock = system_seconds, int64_t max_rows = 20000)
        : db_(db), rows_(db, std::move(clock), "dnsbl_cache", max_rows) {}

    Status put(std::string_view ip, std::string_view zone, bool listed, std::string_view result, uint32_t ttl_s);
    // The unexpired answer, if any.
    Result<std::optional<DnsblAnswer>> get(std::string_view ip, std::string_view zone);
    // Drops expired answers; returns how many.
    Result<int64_t> prune() { return rows_.prune(); }
    Status clear();
    Result<int64_t> size() { return rows_.size(); }

private:
    Status write(std::string_view ip, std::string_view zone, bool listed, std::string_view result, uint32_t ttl_s);

    Database& db_;
    ExpiringTable rows_;
};

} // namespace sbbs
