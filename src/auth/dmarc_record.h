// Finding a domain's DMARC policy record (RFC 7489 6.6.3) through our Resolver.
#pragma once

#include "dns/resolver.h"

#include <string>

namespace sbbs::auth {

struct DmarcRecordLookup {
    enum class Outcome { Found, None, Temperror };
    Outcome outcome = Outcome::None;
    std::string record;         // the one v=DMARC1 record
    std::string domain;         // where it was found: the From domain or its organizational domain
    bool from_org_domain = false;
};

// _dmarc.<from_domain>, then _dmarc.<organizational domain> when that is
// different and the first has no record. Records not starting "v=DMARC1"
// are ignored; more than one left is no policy (6.6.3 step 4).
DmarcRecordLookup find_dmarc_record(const std::string& from_domain, Resolver& resolver);

} // namespace sbbs::auth
