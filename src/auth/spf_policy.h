// What an SPF verdict does under the [Mail] policy keys (issue #16 item 4):
// nothing, a tag (subject prefix and header field, as DNSBlacklistSubject
// and DNSBlacklistHeader tag a listed client's mail), a refusal (550, RFC
// 7208 8.4 and 8.7) or, only when SPFDeferTempError asks, a deferral of a
// temporary error (451 4.4.3, RFC 7208 8.6).
#pragma once

#include "auth/verdicts.h"
#include "config/mail_auth_settings.h"

#include <string>
#include <string_view>

namespace sbbs::auth {

enum class PolicyAction { None, Tag, Reject, Defer };

struct PolicyDecision {
    PolicyAction action = PolicyAction::None;
    int code = 0;                   // Reject / Defer: the SMTP reply
    std::string enhanced;
    std::string text;
};

PolicyDecision spf_decision(const MailAuthSettings& s, const SpfVerdict& v, const std::string& client_ip);
// `header` with the subject prefixed ("<SPFSubject>: ") and the SPFHeader
// field added, as spam::tagged_header does for DNSBL listings.
std::string spf_tagged_header(std::string_view header, const MailAuthSettings& s, const SpfVerdict& v,
                              const std::string& client_ip);
bool has_subject_field(std::string_view header);
// `header` with "<subject_prefix>: " before the subject (none when blank)
// and `field` ("Name: value", none when blank) added at the end.
std::string tagged_header(std::string_view header, const std::string& subject_prefix, const std::string& field);

} // namespace sbbs::auth
