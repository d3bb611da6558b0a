// Remembered DNS answers of mail authentication (RFC 7208 4.6.4 look-ups:
// TXT, A, AAAA, MX, PTR) per name and type, kept for their TTL in the state
// database, so the SPF records of a busy sender's domain are asked once per
// TTL, not once per message. Temporary failures are never kept.
#pragma once

#include "state/clock.h"
#include "state/database.h"
#include "state/expiring_table.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

struct CachedDnsAnswer {
    int status = 0;                     // the caller's status code (e.g. DnsStatus), stored as is
    std::vector<std::string> records;
    int64_t expires = 0;
};

class DnsRecordCache {
public:
    // At most `max_rows` answers are kept (a hostile SPF record names many).
    explicit DnsRecordCache(Database& db, WallClock clock = system_seconds, int64_t max_rows = 50000)
        : db_(db), rows_(db, std::move(clock), "dns_records", max_rows) {}

    Status put(std::string_view name, int type, int status, const std::vector<std::string>& records, uint32_t ttl_s);
    // The unexpired answer, if any.
    Result<std::optional<CachedDnsAnswer>> get(std::string_view name, int type);
    Result<int64_t> prune() { return rows_.prune(); }   // drops expired answers; returns how many
    Result<int64_t> size() { return rows_.size(); }

private:
    Status write(std::string_view name, int type, int status, const std::vector<std::string>& records,
                 uint32_t ttl_s);

    Database& db_;
    ExpiringTable rows_;
};

// Records as one text ("<length>:<bytes>" each) and back; a TXT record may
// hold any byte, so no separator character would do.
std::string join_records(const std::vector<std::string>& records);
std::optional<std::vector<std::string>> split_records(std::string_view text);

} // namespace sbbs
