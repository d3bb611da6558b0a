// SPF (RFC 7208) for the HELO identity (2.3) and the MAIL FROM identity
// (2.4, postmaster@<helo> for a null reverse path) with Debian's libspf2:
// its record parser, mechanisms, modifiers, macros and the ten-look-up
// limit; the DNS through our resolver and cache (SpfDnsLayer); and what
// libspf2 gets wrong fixed around it: no "free pass" for loopback clients
// (a local program's forged sender would read spf=pass), the void look-up
// and MX-name limits, never a DNS query of type SPF (99).
#pragma once

#include "auth/spf_lookups.h"
#include "auth/verdicts.h"
#include "dns/resolver.h"
#include "state/dns_record_cache.h"

#include <chrono>
#include <string>

namespace sbbs::auth {

struct SpfRequest {
    std::string client_ip;          // the SMTP client's address, text
    std::string helo;               // the HELO/EHLO argument
    std::string mail_from;          // the reverse path without <>; "" for the null path
    std::string receiver;           // our host name (%{r}, Received-SPF receiver=)
};

class SpfChecker {
public:
    using Clock = std::chrono::steady_clock;
    // `cache` may be null. `budget`: the most one identity's check spends
    // asking DNS; past it every look-up is a temporary error.
    SpfChecker(Resolver& resolver, DnsRecordCache* cache, Clock::duration budget = std::chrono::seconds(12),
               std::function<Clock::time_point()> now = Clock::now)
        : resolver_(resolver), cache_(cache), budget_(budget), now_(std::move(now)) {}

    SpfVerdict check_helo(const SpfRequest& r);
    SpfVerdict check_mail_from(const SpfRequest& r);

    // The address whose domain check_mail_from() checks: the reverse path,
    // "postmaster@<domain>" without a local part, postmaster@<helo> for "".
    static std::string sender_of(const SpfRequest& r);

private:
    SpfVerdict run(const SpfRequest& r, const std::string& sender, const char* identity);

    Resolver& resolver_;
    DnsRecordCache* cache_;
    Clock::duration budget_;
    std::function<Clock::time_point()> now_;
};

// A domain check_host() can be asked about (RFC 7208 4.3): a multi-label
// name of valid labels; otherwise the result is "none".
bool spf_domain_usable(const std::string& domain);

} // namespace sbbs::auth
