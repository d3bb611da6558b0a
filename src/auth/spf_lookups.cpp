// SpfLookups (see spf_lookups.h).
#include "auth/spf_lookups.h"

#include "auth/cached_txt_resolver.h"

#include <algorithm>

namespace sbbs::auth {

namespace {

// res_nquery gives no SOA on NXDOMAIN/NODATA, so negative answers are kept
// for five minutes (as the DNSBL cache does); an odd TTL never pins an
// answer for more than a day.
constexpr uint32_t kNegativeTtl = 300;
constexpr uint32_t kMaxTtl = 86400;

} // namespace

DnsAnswer<std::string> SpfLookups::ask(const std::string& name, DnsType type) {
    const std::string key = dns_cache_key(name);
    if (cache_)
        if (auto c = cache_->get(key, int(type)); c && *c)
            return {DnsStatus((*c)->status), std::move((*c)->records), "", 0};
    const Clock::time_point start = now_();
    if (start >= deadline_) return {DnsStatus::TempFail, {}, "time limit of the SPF check reached", 0};
    if (health_ && start.time_since_epoch().count() < health_->down_until.load())
        return {DnsStatus::TempFail, {}, "the DNS server did not answer lately", 0};
    ++sent_;
    DnsAnswer<std::string> a = resolver_.records(name, type);
    if (health_ && a.status == DnsStatus::TempFail && now_() - start >= DnsHealth::kSlowFailure)
        health_->down_until.store((now_() + DnsHealth::kDownFor).time_since_epoch().count());
    if (cache_ && a.status != DnsStatus::TempFail) {
        const uint32_t ttl = a.status == DnsStatus::Ok ? std::min(a.ttl, kMaxTtl) : kNegativeTtl;
        if (ttl > 0) (void)cache_->put(key, int(type), int(a.status), a.records, ttl);   // a cache failure only costs a query
    }
    return a;
}

} // namespace sbbs::auth
