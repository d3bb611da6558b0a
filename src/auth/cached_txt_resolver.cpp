// TXT answers through the state database's cache (see cached_txt_resolver.h).
#include "auth/cached_txt_resolver.h"

#include "util/strings.h"

#include <algorithm>

namespace sbbs::auth {

DnsAnswer<std::string> CachedTxtResolver::txt(const std::string& name) {
    const std::string key = to_lower(name);
    // A cache that cannot be read costs a look-up, never a verdict.
    if (auto hit = cache_.get(key); hit && *hit) {
        DnsAnswer<std::string> out;
        out.records = (*hit)->records;
        out.status = (*hit)->kind == TxtCacheEntry::Kind::Records    ? DnsStatus::Ok
                     : (*hit)->kind == TxtCacheEntry::Kind::NxDomain ? DnsStatus::NxDomain
                                                                     : DnsStatus::NoData;
        return out;
    }
    auto answer = inner_.txt(name);
    TxtCacheEntry entry;
    uint32_t ttl = kNegativeTtl;
    switch (answer.status) {
    case DnsStatus::Ok: entry.records = answer.records; ttl = std::min(answer.ttl, kMaxTtl); break;
    case DnsStatus::NxDomain: entry.kind = TxtCacheEntry::Kind::NxDomain; break;
    case DnsStatus::NoData: entry.kind = TxtCacheEntry::Kind::NoData; break;
    case DnsStatus::TempFail: return answer;
    }
    if (ttl > 0) (void)cache_.put(key, entry, ttl);
    return answer;
}

} // namespace sbbs::auth
