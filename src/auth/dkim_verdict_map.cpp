// libopendkim signature outcomes mapped to RFC 8601 DKIM results.
#include "auth/dkim_verdict_map.h"

#include "auth/opendkim.h"

namespace sbbs::auth {

namespace {

DkimVerdict verdict(DkimResult r, std::string reason) {
    DkimVerdict v;
    v.result = r;
    v.reason = std::move(reason);
    return v;
}

std::string error_text(int error) {
    const char* s = dkim_sig_geterrorstr(error);
    return s ? s : "signature error " + std::to_string(error);
}

// Errors in the key record or the key's constraints (RFC 6376 3.6.1 h=, s=,
// t=s): the signer published something that cannot verify this signature;
// asking again will not change it (RFC 8601 2.7.1 permerror).
bool key_record_error(int error) {
    switch (error) {
    case DKIM_SIGERROR_NOKEY: case DKIM_SIGERROR_DNSSYNTAX: case DKIM_SIGERROR_MULTIREPLY:
    case DKIM_SIGERROR_KEYVERSION: case DKIM_SIGERROR_KEYUNKNOWNHASH: case DKIM_SIGERROR_KEYHASHMISMATCH:
    case DKIM_SIGERROR_NOTEMAILKEY: case DKIM_SIGERROR_KEYTYPEMISSING: case DKIM_SIGERROR_KEYTYPEUNKNOWN:
    case DKIM_SIGERROR_KEYREVOKED: case DKIM_SIGERROR_KEYDECODE: case DKIM_SIGERROR_SUBDOMAIN:
        return true;
    default:
        return false;
    }
}

// The outcome before the testing-mode rule.
DkimVerdict classify_plain(const DkimSignatureOutcome& o) {
    if (o.key_lookup_temperror || o.error == DKIM_SIGERROR_KEYFAIL)
        return verdict(DkimResult::Temperror, "key look-up failed");
    // RFC 8301 3.1: rsa-sha1 signatures are not valid, whatever the math says.
    if (o.algorithm == "rsa-sha1" && (o.error == DKIM_SIGERROR_OK || o.error == DKIM_SIGERROR_BADSIG))
        return verdict(DkimResult::Policy, "rsa-sha1 is not accepted (RFC 8301)");
    if (o.error == DKIM_SIGERROR_KEYTOOSMALL)
        return verdict(DkimResult::Policy, "key shorter than 1024 bits (RFC 8301)");
    if (key_record_error(o.error)) return verdict(DkimResult::Permerror, error_text(o.error));
    if (o.error == DKIM_SIGERROR_OK || o.error == DKIM_SIGERROR_BADSIG) {
        if (!(o.flags & DKIM_SIGFLAG_PASSED)) return verdict(DkimResult::Fail, "signature did not verify");
        if (o.body_hash != DKIM_SIGBH_MATCH) return verdict(DkimResult::Fail, "body hash did not verify");
        return verdict(DkimResult::Pass, "");
    }
    if (o.error == DKIM_SIGERROR_TOOLARGE_L) return verdict(DkimResult::Fail, "body shorter than l=");
    if (o.error == DKIM_SIGERROR_UNKNOWN) return verdict(DkimResult::Neutral, "not verified");
    // The signature itself is malformed, expired or from the future: it
    // could not be processed (RFC 8601 2.7.1 neutral).
    return verdict(DkimResult::Neutral, error_text(o.error));
}

} // namespace

DkimVerdict classify_dkim_signature(const DkimSignatureOutcome& o) {
    DkimVerdict v = classify_plain(o);
    // RFC 6376 3.6.1 t=y: mail of a signer in testing mode is treated as
    // unsigned, so a failure must not count against it; a pass is reported.
    if ((o.flags & DKIM_SIGFLAG_TESTKEY) && v.result != DkimResult::Pass && v.result != DkimResult::Temperror) {
        v.result = DkimResult::Neutral;
        v.reason = "key in testing mode (t=y): " + v.reason;
    }
    v.algorithm = o.algorithm;
    return v;
}

} // namespace sbbs::auth
