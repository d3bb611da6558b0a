// What a DMARC verdict does under DMARCPolicy (issue #16 item 4): off
// (headers only), tag (as SPFPolicy's tag), reject (550 5.7.1 for any
// dmarc=fail) or honor (the domain's own p=/sp= after pct= sampling, RFC
// 7489 6.6.4 and 6.7). Only a fail acts: temperror, permerror and none never
// refuse mail (RFC 7489 6.6.2 says to fall back to other policy then).
#pragma once

#include "auth/spf_policy.h"
#include "auth/verdicts.h"
#include "config/mail_auth_settings.h"

#include <string>
#include <string_view>

namespace sbbs::auth {

PolicyDecision dmarc_decision(const MailAuthSettings& s, const DmarcVerdict& v);
// "p=reject", "p=quarantine (pct sampled out)", ... for logs and tags.
std::string dmarc_policy_text(const DmarcVerdict& v);
// `header` with the subject prefixed ("<SPFSubject>: ") and an
// "X-DMARC: fail (header.from <domain>, p=...)" field added.
std::string dmarc_tagged_header(std::string_view header, const MailAuthSettings& s, const DmarcVerdict& v);

} // namespace sbbs::auth
