// DMARC policy decisions and tags (see dmarc_policy.h).
#include "auth/dmarc_policy.h"

namespace sbbs::auth {

namespace {

// The field a DMARC tag adds, beside SPFHeader's.
constexpr const char* kDmarcTagField = "X-DMARC";

// The domain's policy after pct= (RFC 7489 6.6.4: a message left out of
// the sample gets the next policy down, reject -> quarantine -> none).
DmarcPolicy effective_policy(const DmarcVerdict& v) {
    if (!v.sampled_out) return v.policy;
    if (v.policy == DmarcPolicy::Reject) return DmarcPolicy::Quarantine;
    if (v.policy == DmarcPolicy::Quarantine) return DmarcPolicy::None;
    return v.policy;
}

PolicyDecision refusal(const DmarcVerdict& v) {
    // RFC 7489 6.7 / 10.3: the reason names the author domain and its policy.
    return {PolicyAction::Reject, 550, "5.7.1",
            "Unauthenticated mail from " + v.from_domain + " refused by DMARC (" + dmarc_policy_text(v) + ")"};
}

} // namespace

std::string dmarc_policy_text(const DmarcVerdict& v) {
    std::string t;
    switch (v.policy) {
    case DmarcPolicy::None: t = "p=none"; break;
    case DmarcPolicy::Quarantine: t = "p=quarantine"; break;
    case DmarcPolicy::Reject: t = "p=reject"; break;
    case DmarcPolicy::Unset: t = "no policy"; break;
    }
    return v.sampled_out ? t + ", sampled out by pct=" : t;
}

PolicyDecision dmarc_decision(const MailAuthSettings& s, const DmarcVerdict& v) {
    if (v.result != DmarcResult::Fail) return {};                     // never on temperror/permerror/none
    switch (s.dmarc_policy) {
    case AuthPolicy::Off: return {};
    case AuthPolicy::Tag: return {PolicyAction::Tag, 0, "", ""};
    case AuthPolicy::Reject: return refusal(v);                       // whatever p= says
    case AuthPolicy::Honor:
        switch (effective_policy(v)) {
        case DmarcPolicy::Reject: return refusal(v);                  // RFC 7489 6.3 p=reject
        case DmarcPolicy::Quarantine: return {PolicyAction::Tag, 0, "", ""};   // "suspicious": tagged as spam
        default: return {};
        }
    }
    return {};
}

std::string dmarc_tagged_header(std::string_view header, const MailAuthSettings& s, const DmarcVerdict& v) {
    return tagged_header(header, s.spf_subject,
                         std::string(kDmarcTagField) + ": " + name(v.result) + " (header.from " + v.from_domain +
                             ", " + dmarc_policy_text(v) + ")");
}

} // namespace sbbs::auth
