// A Resolver whose TXT answers (DKIM keys, _dmarc policies) are remembered
// in the state database's dns_records table for their TTL (#16 item 4), the
// same table and keys SPF's look-ups use, so one answer serves both; every
// other query goes straight to the resolver it wraps. Temporary failures are
// never kept.
#pragma once

#include "dns/resolver.h"
#include "state/dns_record_cache.h"

namespace sbbs::auth {

class CachedTxtResolver : public Resolver {
public:
    // Negative answers carry no TTL from our resolver (it does not read the
    // SOA), so they are kept this long (RFC 2308 5 caps its own at hours).
    static constexpr uint32_t kNegativeTtl = 300;
    // A record's TTL is capped so a key rotated away is not trusted for days.
    static constexpr uint32_t kMaxTtl = 86400;

    CachedTxtResolver(Resolver& inner, DnsRecordCache& cache) : inner_(inner), cache_(cache) {}

    DnsAnswer<std::string> records(const std::string& name, DnsType type) override;
    DnsAnswer<MxRecord> mx(const std::string& domain) override { return inner_.mx(domain); }
    DnsAnswer<std::string> addresses(const std::string& host) override { return inner_.addresses(host); }
    DnsAnswer<std::string> ptr(const std::string& ip) override { return inner_.ptr(ip); }
    DnsAnswer<std::string> a(const std::string& name) override { return inner_.a(name); }

private:
    Resolver& inner_;
    DnsRecordCache& cache_;
};

// The cache key of a name: lower case, no trailing dot (SPF's look-ups use
// the same, so their answers are shared).
std::string dns_cache_key(const std::string& name);

} // namespace sbbs::auth
