// What a receiving server's EHLO reply offers that changes how SendMail
// sends: CHUNKING (RFC 3030: BDAT instead of DATA), SMTPUTF8 (RFC 6531),
// DSN (RFC 3461: the envelope's DSN parameters go along, and the peer reports
// delivery status itself) and LIMITS (RFC 9422: recipients per transaction,
// transactions per session). A peer's BINARYMIME is never used: stored mail
// is text (SMTP converts a BODY=BINARYMIME message at reception, src/mime),
// so no BODY=BINARYMIME is ever due (RFC 3030 section 3). REQUIRETLS
// (RFC 8689) counts only inside TLS.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sbbs {

struct PeerExtensions {
    bool chunking = false;          // BDAT may carry the text
    bool smtputf8 = false;          // UTF-8 addresses and header fields (RFC 6531 3.2)
    bool dsn = false;               // RFC 3461: RET/ENVID/NOTIFY/ORCPT are relayed (4, 5.2); the peer reports status itself
    bool requiretls = false;        // takes REQUIRETLS mail (RFC 8689 2; counts only inside TLS)
    size_t rcpt_max = 0;            // LIMITS RCPTMAX (0: none given)
    size_t mail_max = 0;            // LIMITS MAILMAX (0: none given)
};

// The EHLO reply lines as received ("250-CHUNKING", "250 LIMITS ..."). A
// limit that is not 1 to 6 digits (RFC 9422 section 4's grammar) or is 0 is
// ignored, as are unknown limit names.
PeerExtensions parse_ehlo(const std::vector<std::string>& lines);

} // namespace sbbs
