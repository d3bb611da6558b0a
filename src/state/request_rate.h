// The request rate limiter shared by SMTP and POP3 (SMTP-52..SMTP-54,
// POP3-58): per key (the client IP, or its subnet) the times of the requests
// allowed in the last period, how often the key was denied while it stayed
// active, and which IPs of a subnet key were denied. Kept in memory for the
// life of the process, as the original keeps it; safe to call from every
// session thread at once.
#pragma once

#include "config/settings.h"

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sbbs {

// The bucket of `ip` (SMTP-53): the IP itself, or "<network>/<prefix>" when
// RateLimitSubnetPrefix4/6 is between 1 and 31 (IPv4) or 1 and 127 (IPv6).
std::string rate_limit_key(const std::string& ip, const RateLimitSettings& rl);

// One refused request.
struct RateDenial {
    std::string key;
    uint32_t denials = 0;        // of this key while it stayed active, this one included
    size_t distinct_ips = 1;     // denied IPs of a subnet key
};

// A refused command as a session logs it (SMTP-52, POP3-58).
struct RateRefusal {
    std::string key;
    uint32_t max = 0, period_s = 0;
    std::optional<std::string> blocked;   // the auto-filter's log line (SMTP-54)
};
// Asked before each command: a refusal, or nothing when the command may run
// (the server answers it: exemptions, the shared limiter, the auto-filter).
using RequestGate = std::function<std::optional<RateRefusal>(const std::string& ip, const std::string& host)>;

class RequestRateLimiter {
public:
    // Counts one request of `ip` against `max` per `period_s` seconds; a
    // denial when `max` are already in the window. Either value 0: no limit.
    std::optional<RateDenial> request(const std::string& ip, const RateLimitSettings& rl, uint32_t max,
                                      uint32_t period_s, std::time_t now);
    size_t keys() const;

    // Keys remembered at most: past it the least recently active go first
    // (a spread of client addresses must not grow memory without bound).
    static constexpr size_t kMaxKeys = 65536;

private:
    struct Bucket {
        // The seconds of the allowed requests in the window, with how many
        // fell in each: at most `max` requests and `period_s` entries.
        std::vector<std::pair<std::time_t, uint32_t>> times;
        uint32_t allowed = 0;              // the sum of the counts
        uint32_t denials = 0;
        std::set<std::string> denied_ips;  // bounded by the subnet's size and kMaxMembers
    };
    static void expire(Bucket& b, std::time_t now, uint32_t period_s);
    // Forgets idle keys (none of their requests in the window): they start
    // over, denials included, as in the original's clean-up.
    void sweep(std::time_t now, uint32_t period_s);
    // Down to 3/4 of kMaxKeys, least recently active first.
    void evict_oldest();

    mutable std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;
    std::time_t last_sweep_ = 0;
    size_t swept_size_ = 0;                // keys left by the last sweep
};

} // namespace sbbs
