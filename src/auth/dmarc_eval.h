// DMARC evaluation (RFC 7489) with Debian's libopendmarc: the policy record
// is fetched through our Resolver (_dmarc.<From domain>, then its
// organizational domain), and the library judges alignment and the policy.
#pragma once

#include "auth/verdicts.h"
#include "dns/resolver.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sbbs::auth {

// A draw in 0..99 for pct= sampling (RFC 7489 6.6.4); tests pass their own.
using PercentDraw = std::function<unsigned()>;
unsigned random_percent();

// `from_domain`: rfc5322_from_domain()'s domain ("" when it found none:
// permerror). `spf`: the SPF verdict of the MAIL FROM identity (for a null
// reverse path, the HELO domain's, RFC 7208 2.4), if one was made.
DmarcVerdict evaluate_dmarc(const std::string& from_domain, const std::optional<SpfVerdict>& spf,
                            const std::vector<DkimVerdict>& dkim, Resolver& resolver,
                            const PercentDraw& percent = random_percent);

} // namespace sbbs::auth
