// The DNS look-ups of one SPF check (RFC 7208 4.6.4): through our Resolver
// (the one DNSBL uses), answered from the state database's cache while
// their TTL lasts, and cut off at the check's deadline (a temporary error
// from then on), so a dead name server costs a session a bounded wait.
#pragma once

#include "dns/resolver.h"
#include "state/dns_record_cache.h"

#include <chrono>
#include <functional>
#include <string>

namespace sbbs::auth {

class SpfLookups {
public:
    using Clock = std::chrono::steady_clock;
    // `cache` may be null (no state database).
    SpfLookups(Resolver& resolver, DnsRecordCache* cache, Clock::time_point deadline,
               std::function<Clock::time_point()> now = Clock::now)
        : resolver_(resolver), cache_(cache), deadline_(deadline), now_(std::move(now)) {}

    DnsAnswer<std::string> ask(const std::string& name, DnsType type);
    unsigned queries_sent() const { return sent_; }

private:
    Resolver& resolver_;
    DnsRecordCache* cache_;
    Clock::time_point deadline_;
    std::function<Clock::time_point()> now_;
    unsigned sent_ = 0;
};

} // namespace sbbs::auth
