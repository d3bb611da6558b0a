// What a receiving server's EHLO reply offers that changes how SendMail
// sends: CHUNKING (RFC 3030: BDAT instead of DATA), SMTPUTF8 (RFC 6531),
// LIMITS (RFC 9422: recipients per transaction, transactions per session)
// and REQUIRETLS (RFC 8689).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sbbs {

struct PeerExtensions {
    bool chunking = false;          // BDAT may carry the text
    bool smtputf8 = false;          // UTF-8 addresses and header fields (RFC 6531 3.2)
    bool requiretls = false;        // takes REQUIRETLS mail (RFC 8689 2; counts only inside TLS)
    size_t rcpt_max = 0;            // LIMITS RCPTMAX (0: none given)
    size_t mail_max = 0;            // LIMITS MAILMAX (0: none given)
};

// The EHLO reply lines as received ("250-CHUNKING", "250 LIMITS ..."). A
// limit that is not 1 to 6 digits (RFC 9422 section 4's grammar) or is 0 is
// ignored, as are unknown limit names.
PeerExtensions parse_ehlo(const std::vector<std::string>& lines);

} // namespace sbbs
