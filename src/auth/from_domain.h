// The RFC5322.From domain DMARC judges (RFC 7489 3.1, 6.6.1): exactly one
// From field whose mailboxes all share one domain; anything else has no
// single author domain and is a DMARC permerror.
#pragma once

#include <string>
#include <string_view>

namespace sbbs::auth {

struct AuthorDomain {
    std::string domain;     // lower case, no trailing dot; "" when there is none
    std::string problem;    // why there is none, printable ASCII
};

// `message`: the header (and body) as received, CRLF lines.
AuthorDomain rfc5322_from_domain(std::string_view message);

} // namespace sbbs::auth
