// SendMail's bookkeeping per outbound message number: attempts made, when
// to try next, where it stands and the last error. The SMB header's
// delivery-attempt counter stays the original's record (SEND-88); this
// table adds what the original keeps nowhere (a retry schedule, the reason
// of the last failure, in-transit recovery after a crash).
#pragma once

#include "state/clock.h"
#include "state/database.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

enum class DeliveryState { Queued, InTransit, Retry, Delivered, Failed };

std::string_view delivery_state_name(DeliveryState s);
std::optional<DeliveryState> parse_delivery_state(std::string_view name);

struct DeliveryRecord {
    uint32_t msg_number = 0;
    uint32_t attempts = 0;
    int64_t next_try = 0;
    DeliveryState state = DeliveryState::Queued;
    std::string last_error;
    int64_t updated = 0;
};

class DeliveryBook {
public:
    explicit DeliveryBook(Database& db, WallClock clock = system_seconds) : db_(db), clock_(std::move(clock)) {}

    Result<std::optional<DeliveryRecord>> get(uint32_t msg_number);
    // Marks a message in transit (creating its record when new).
    Status start(uint32_t msg_number);
    // One more failed attempt; retried at `next_try`.
    Result<DeliveryRecord> failed(uint32_t msg_number, std::string_view error, int64_t next_try);
    // Delivered, or given up (bounced/deleted).
    Status finish(uint32_t msg_number, DeliveryState final_state);
    // Queued or Retry records whose time has come, oldest first.
    Result<std::vector<DeliveryRecord>> due(size_t limit);
    // After a crash: every in-transit record becomes Retry, due now.
    Result<int64_t> recover_in_transit();
    Status forget(uint32_t msg_number);

private:
    Status upsert(sqlite3* db, const DeliveryRecord& r);
    Database& db_;
    WallClock clock_;
};

} // namespace sbbs
