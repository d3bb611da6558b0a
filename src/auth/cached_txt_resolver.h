// A Resolver whose TXT answers (DKIM keys, _dmarc policies) are remembered
// in the state database for their TTL (#16 item 4); every other query goes
// straight to the resolver it wraps. Temporary failures are never kept.
#pragma once

#include "dns/resolver.h"
#include "state/txt_cache.h"

namespace sbbs::auth {

class CachedTxtResolver : public Resolver {
public:
    // Negative answers carry no TTL from our resolver (it does not read the
    // SOA), so they are kept this long (RFC 2308 5 caps its own at hours).
    static constexpr uint32_t kNegativeTtl = 300;
    // A record's TTL is capped so a key rotated away is not trusted for days.
    static constexpr uint32_t kMaxTtl = 86400;

    CachedTxtResolver(Resolver& inner, TxtCache& cache) : inner_(inner), cache_(cache) {}

    DnsAnswer<MxRecord> mx(const std::string& domain) override { return inner_.mx(domain); }
    DnsAnswer<std::string> addresses(const std::string& host) override { return inner_.addresses(host); }
    DnsAnswer<std::string> ptr(const std::string& ip) override { return inner_.ptr(ip); }
    DnsAnswer<std::string> a(const std::string& name) override { return inner_.a(name); }
    DnsAnswer<std::string> txt(const std::string& name) override;

private:
    Resolver& inner_;
    TxtCache& cache_;
};

} // namespace sbbs::auth
