// TXT answers through the state database's cache (see cached_txt_resolver.h).
#include "auth/cached_txt_resolver.h"

#include "util/strings.h"

#include <algorithm>

namespace sbbs::auth {

std::string dns_cache_key(const std::string& name) {
    std::string k = to_lower(name);
    while (!k.empty() && k.back() == '.') k.pop_back();
    return k;
}

DnsAnswer<std::string> CachedTxtResolver::records(const std::string& name, DnsType type) {
    if (type != DnsType::Txt) return inner_.records(name, type);
    const std::string key = dns_cache_key(name);
    // A cache that cannot be read costs a look-up, never a verdict.
    if (auto hit = cache_.get(key, int(type)); hit && *hit)
        return {DnsStatus((*hit)->status), std::move((*hit)->records), "", 0};
    auto answer = inner_.records(name, type);
    if (answer.status == DnsStatus::TempFail) return answer;
    const uint32_t ttl = answer.status == DnsStatus::Ok ? std::min(answer.ttl, kMaxTtl) : kNegativeTtl;
    if (ttl > 0) (void)cache_.put(key, int(type), int(answer.status), answer.records, ttl);
    return answer;
}

} // namespace sbbs::auth
