// The request rate limit as the sessions ask it before each command
// (SMTP-52..SMTP-54, POP3-58): ipfilter_exempt.cfg clients pass, others count
// against the process-wide limiter, and a key denied often enough is
// auto-filtered into ip.can.
#pragma once

#include "config/cached_pattern_list.h"
#include "config/settings.h"
#include "state/request_rate.h"

#include <string>

namespace sbbs {

// `protocol` is the p= of an auto-filter line; `exempt` may be null.
RequestGate request_gate(RequestRateLimiter& limiter, ConfigPtr cfg, CachedPatternList* exempt,
                         std::string protocol);

} // namespace sbbs
