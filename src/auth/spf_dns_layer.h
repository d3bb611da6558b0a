// libspf2's DNS layer (an SPF_dns_server_t, see spf_dns.h) answering from
// SpfLookups, so SPF asks our resolver and cache instead of libspf2's own
// res_query. It also keeps the RFC 7208 4.6.4 limits libspf2 1.2.10 lacks:
// more than two void look-ups, and an "mx" with more than ten names, are a
// permerror (libspf2 only warns and truncates). Only spf_check.cpp uses it.
#pragma once

#include "auth/spf_lookups.h"

#include <netinet/in.h>
#include <arpa/nameser.h>
extern "C" {                            // spf.h itself declares SPF_strerror without C linkage
#include <spf2/spf.h>
}

#include <set>
#include <string>

namespace sbbs::auth {

class SpfDnsLayer {
public:
    explicit SpfDnsLayer(SpfLookups& lookups);
    SpfDnsLayer(const SpfDnsLayer&) = delete;
    SpfDnsLayer& operator=(const SpfDnsLayer&) = delete;

    // Shared with the SPF_server_t (destroy is null: libspf2 never frees it).
    SPF_dns_server_t* server() { return &server_; }
    // Why the result must be permerror regardless of libspf2's, or "".
    const std::string& limit_exceeded() const { return limit_; }
    // The first temporary DNS failure, for the log and the A-R comment.
    const std::string& temp_error() const { return temp_error_; }

private:
    static SPF_dns_rr_t* lookup(SPF_dns_server_t* s, const char* domain, ns_type type, int should_cache);
    SPF_dns_rr_t* answer(const char* domain, ns_type type);
    void count_void(const std::string& name, ns_type type);
    bool fill(SPF_dns_rr_t* rr, ns_type type, const std::string& text);

    SPF_dns_server_t server_{};
    SpfLookups& lookups_;
    std::set<std::string> derived_;     // host names from MX and PTR answers: their A/AAAA are not voids
    unsigned voids_ = 0;
    bool first_txt_ = true;             // the checked domain's own record: a void there is "none"
    std::string limit_;
    std::string temp_error_;
};

} // namespace sbbs::auth
