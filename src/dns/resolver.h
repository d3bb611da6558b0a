// DNS as the mail server needs it: MX, A/AAAA, PTR, DNSBL and TXT look-ups. The
// real one speaks to DNSServer (or the system's resolvers) through libresolv;
// tests use a double or a DNS server on loopback.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sbbs {

struct MxRecord {
    uint16_t preference = 0;
    std::string host;
};

enum class DnsStatus { Ok, NxDomain, NoData, TempFail };

// The record types records() answers (RFC 1035 3.2.2, RFC 3596).
enum class DnsType : uint16_t { A = 1, Ptr = 12, Mx = 15, Txt = 16, Aaaa = 28 };

template <class T>
struct DnsAnswer {
    DnsStatus status = DnsStatus::TempFail;
    std::vector<T> records;
    std::string error;               // for TempFail: what went wrong
    uint32_t ttl = 0;                // of the first record, where the query reports it (a())
};

class Resolver {
public:
    virtual ~Resolver() = default;
    // Every record of `type` at `name`, as text: A/AAAA an address, MX
    // "preference host", PTR a host name, TXT its character-strings joined
    // (RFC 7208 3.3); `ttl` is the smallest of the set. For SPF (RFC 7208
    // 4.6.4), which needs one type per query and the whole set. A resolver
    // that cannot (older test doubles) answers TempFail.
    virtual DnsAnswer<std::string> records(const std::string& name, DnsType type) {
        (void)name;
        (void)type;
        return {DnsStatus::TempFail, {}, "record look-up not supported", 0};
    }
    virtual DnsAnswer<MxRecord> mx(const std::string& domain) = 0;        // sorted by preference
    virtual DnsAnswer<std::string> addresses(const std::string& host) = 0; // A then AAAA, text
    virtual DnsAnswer<std::string> ptr(const std::string& ip) = 0;
    // First A record of `name` (DNSBL query names), as text.
    virtual DnsAnswer<std::string> a(const std::string& name) = 0;
    // TXT records of `name` (DKIM keys, _dmarc policies): records() of type
    // TXT, so DKIM, DMARC and SPF share one look-up path and one cache.
    DnsAnswer<std::string> txt(const std::string& name) { return records(name, DnsType::Txt); }
};

} // namespace sbbs
