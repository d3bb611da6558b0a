// The verdicts of inbound mail authentication (SPF RFC 7208 2.6, DKIM RFC 6376
// 6.1 / RFC 8601 2.7.1, DMARC RFC 7489 11.2) that the Authentication-Results
// header, the policy and the log line are built from.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sbbs::auth {

enum class SpfResult { None, Neutral, Pass, Fail, Softfail, Temperror, Permerror };
enum class DkimResult { None, Pass, Fail, Neutral, Policy, Temperror, Permerror };
enum class DmarcResult { None, Pass, Fail, Temperror, Permerror };
enum class DmarcPolicy { Unset, None, Quarantine, Reject };

struct SpfVerdict {
    SpfResult result = SpfResult::None;
    std::string identity;           // "helo" or "mailfrom" (RFC 8601 2.7.2 smtp.helo / smtp.mailfrom)
    std::string domain;             // the domain checked
    std::string explanation;        // exp= text or the reason, printable ASCII
};

struct DkimVerdict {
    DkimResult result = DkimResult::None;
    std::string domain;             // d= (header.d)
    std::string selector;           // s= (header.s)
    std::string algorithm;          // a= ("rsa-sha256", "ed25519-sha256")
    std::string reason;             // why fail/neutral/permerror, printable ASCII
};

struct DmarcVerdict {
    DmarcResult result = DmarcResult::None;
    std::string from_domain;        // RFC5322.From domain (header.from)
    DmarcPolicy policy = DmarcPolicy::Unset;   // p= or sp= that applies
    bool sampled_out = false;       // pct= left this message out of the policy
};

// Everything known about one message.
struct MessageAuthentication {
    std::optional<SpfVerdict> spf_helo;
    std::optional<SpfVerdict> spf_mailfrom;
    std::vector<DkimVerdict> dkim;  // one per signature, in header order
    bool dkim_checked = false;      // DKIM ran: no signature is then "dkim=none" (RFC 8601 2.7.1)
    std::optional<DmarcVerdict> dmarc;
};

const char* name(SpfResult r);      // RFC 8601 result keywords, lower case
const char* name(DkimResult r);
const char* name(DmarcResult r);

} // namespace sbbs::auth
