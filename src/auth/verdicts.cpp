// The result keywords of the verdicts (RFC 8601 2.7.1-2.7.2, RFC 7489 11.2).
#include "auth/verdicts.h"

namespace sbbs::auth {

const char* name(SpfResult r) {
    switch (r) {
    case SpfResult::None: return "none";
    case SpfResult::Neutral: return "neutral";
    case SpfResult::Pass: return "pass";
    case SpfResult::Fail: return "fail";
    case SpfResult::Softfail: return "softfail";
    case SpfResult::Temperror: return "temperror";
    case SpfResult::Permerror: return "permerror";
    }
    return "none";
}

const char* name(DkimResult r) {
    switch (r) {
    case DkimResult::None: return "none";
    case DkimResult::Pass: return "pass";
    case DkimResult::Fail: return "fail";
    case DkimResult::Neutral: return "neutral";
    case DkimResult::Policy: return "policy";
    case DkimResult::Temperror: return "temperror";
    case DkimResult::Permerror: return "permerror";
    }
    return "none";
}

const char* name(DmarcResult r) {
    switch (r) {
    case DmarcResult::None: return "none";
    case DmarcResult::Pass: return "pass";
    case DmarcResult::Fail: return "fail";
    case DmarcResult::Temperror: return "temperror";
    case DmarcResult::Permerror: return "permerror";
    }
    return "none";
}

} // namespace sbbs::auth
