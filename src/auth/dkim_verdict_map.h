// How libopendkim's per-signature outcome becomes an RFC 8601 2.7.1 result.
#pragma once

#include "auth/verdicts.h"

#include <string>

namespace sbbs::auth {

struct DkimSignatureOutcome {
    int error = -1;             // DKIM_SIGERROR_*
    unsigned flags = 0;         // DKIM_SIGFLAG_*
    int body_hash = -1;         // DKIM_SIGBH_*
    bool key_lookup_temperror = false;   // our resolver failed for this key
    std::string algorithm;      // the a= tag, lower case ("" when absent)
};

// The result and its reason (printable ASCII).
DkimVerdict classify_dkim_signature(const DkimSignatureOutcome& outcome);

} // namespace sbbs::auth
