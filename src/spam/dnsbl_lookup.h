// DNSBL look-ups (SMTP-237, CFG-140, CFG-141): ctrl/dns_blacklist.cfg's zones
// asked in file order through the system resolver, answers kept in the state
// database for their TTL, exemptions by IP, host name and sender address.
// A zone that does not answer is skipped (fail open); the caller logs it.
#pragma once

#include "config/cached_pattern_list.h"
#include "dns/resolver.h"
#include "state/dnsbl_cache.h"
#include "userbase/user_directory.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sbbs::spam {

struct DnsblHit {
    std::string dnsbl;      // the whole configuration line (SMTP-238)
    std::string result;     // the 127.0.0.x answer
};

struct DnsblOutcome {
    std::optional<DnsblHit> hit;
    std::vector<std::string> problems;   // zones that failed or answered out of range: for the log
};

class DnsblLookup {
public:
    using Clock = std::chrono::steady_clock;
    // `cache` and `users` may be null (no state database / no netmail exemption).
    // `budget`: the most one check (connect, or all Received: relays of a
    // message) spends asking, past the query under way (the resolver's
    // timeout x tries is a fair value).
    DnsblLookup(std::string ctrl_dir, uint32_t cache_interval_s, std::unique_ptr<Resolver> resolver,
                DnsblCache* cache, UserDirectory* users, Clock::duration budget = std::chrono::seconds(6),
                std::function<Clock::time_point()> now = Clock::now);

    // The deadline of a check starting now.
    Clock::time_point deadline() const { return now_() + budget_; }
    // The first zone listing `ip`, unless `ip` or `host` is exempt; no query
    // is sent past `deadline`.
    DnsblOutcome lookup(const std::string& ip, const std::string& host);
    DnsblOutcome lookup(const std::string& ip, const std::string& host, Clock::time_point deadline);
    // CFG-140: clients in ipfilter_exempt.cfg are not looked up at connect.
    bool client_exempt(const std::string& ip, const std::string& host) { return ipfilter_exempt_.contains(ip, host); }
    // SMTP-240: "<address>" in dnsbl_exempt.cfg, or some user's netmail address.
    bool sender_exempt(const std::string& address);

private:
    std::optional<DnsblHit> ask(const std::string& ip, const std::string& query, const std::string& zone,
                                const std::string& line, Clock::time_point deadline,
                                std::vector<std::string>& problems);
    // A zone that did not answer is not asked for kZoneDownFor (ours: one dead
    // DNS server costs one session its timeout, not every session).
    bool zone_down(const std::string& zone, Clock::time_point now);
    void mark_down(const std::string& zone, Clock::time_point now);

    std::string ctrl_;
    CachedPatternList exempt_, ipfilter_exempt_;
    std::unique_ptr<Resolver> resolver_;
    DnsblCache* cache_;
    UserDirectory* users_;
    Clock::duration budget_;
    std::function<Clock::time_point()> now_;
    std::mutex down_mu_;
    std::map<std::string, Clock::time_point> down_until_;   // bounded by the zones configured
};

// "1.2.3.4" -> "4.3.2.1" (IPv6: reversed nibbles); "" when not an address.
std::string dnsbl_query_prefix(const std::string& ip);

} // namespace sbbs::spam
