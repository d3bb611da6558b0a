// [Mail] keys of ours for inbound mail authentication (issue #16): what an
// SPF result does (off, tag, reject), whether DKIM and DMARC run, and what
// a DMARC fail does (off, tag, reject, or the domain's own policy). Read by read_mail_auth_keys(); every bad value is a
// Diagnostic naming file and line, and the default stays.
#pragma once

#include "config/diagnostic.h"
#include "config/ini_get.h"

#include <cstdint>
#include <string>

namespace sbbs {

enum class AuthPolicy { Off, Tag, Reject, Honor };

// One bit per SPF result, in the order of auth::SpfResult (RFC 7208 2.6).
namespace spf_result_bit {
constexpr uint32_t None = 1u << 0, Neutral = 1u << 1, Pass = 1u << 2, Fail = 1u << 3, Softfail = 1u << 4,
                   Temperror = 1u << 5, Permerror = 1u << 6;
}

struct MailAuthSettings {
    bool spf_check = true;                       // SPFCheck: look up and add the headers
    AuthPolicy spf_policy = AuthPolicy::Off;     // SPFPolicy = off|tag|reject
    uint32_t spf_reject_results = spf_result_bit::Fail;                          // SPFRejectResults
    uint32_t spf_tag_results = spf_result_bit::Fail | spf_result_bit::Softfail;  // SPFTagResults
    bool spf_defer_temperror = false;            // SPFDeferTempError: 451 on temperror
    std::string spf_subject = "SPAM";            // SPFSubject: the subject prefix of a tag
    std::string spf_header = "X-SPF";            // SPFHeader: the header field of a tag
    bool dkim_check = true;                      // DKIMCheck: verify DKIM, evaluate DMARC, add their results
    AuthPolicy dmarc_policy = AuthPolicy::Off;   // DMARCPolicy = off|tag|reject|honor (for dmarc=fail)
};

MailAuthSettings read_mail_auth_keys(const IniGetter& g, Diagnostics& diags);
// The key names, for the unknown-key report.
const std::vector<std::string>& mail_auth_key_names();

} // namespace sbbs
