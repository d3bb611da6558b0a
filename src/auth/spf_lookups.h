// The DNS look-ups of one SPF check (RFC 7208 4.6.4): through our Resolver
// (the one DNSBL uses), answered from the state database's cache while
// their TTL lasts, and cut off at the check's deadline (a temporary error
// from then on), so a dead name server costs a session a bounded wait.
#pragma once

#include "dns/resolver.h"
#include "state/dns_record_cache.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

namespace sbbs::auth {

// When the name server stopped answering (a query failed after waiting at
// least kSlowFailure), the look-ups sharing this skip DNS for kDownFor. One
// SPF check owns one: its names are chosen by the client, so a breaker
// shared across sessions would let one client's dead name servers switch
// SPF off for everyone.
struct DnsHealth {
    static constexpr auto kSlowFailure = std::chrono::seconds(2);
    static constexpr auto kDownFor = std::chrono::seconds(60);
    std::atomic<int64_t> down_until{0};      // steady_clock ticks
};

class SpfLookups {
public:
    using Clock = std::chrono::steady_clock;
    // `cache` and `health` may be null.
    SpfLookups(Resolver& resolver, DnsRecordCache* cache, Clock::time_point deadline,
               std::function<Clock::time_point()> now = Clock::now, DnsHealth* health = nullptr)
        : resolver_(resolver), cache_(cache), deadline_(deadline), now_(std::move(now)), health_(health) {}

    DnsAnswer<std::string> ask(const std::string& name, DnsType type);
    unsigned queries_sent() const { return sent_; }

private:
    Resolver& resolver_;
    DnsRecordCache* cache_;
    Clock::time_point deadline_;
    std::function<Clock::time_point()> now_;
    DnsHealth* health_;
    unsigned sent_ = 0;
};

} // namespace sbbs::auth
