// Appending a client IP to an auto-block list (ctrl/spamblock.cfg, and
// text/ip.can for the later login and rate-limit filters) in the original's
// line shape (CFG-134, SMTP-235), once per address.
#pragma once

#include "config/pattern_list.h"
#include "util/result.h"

#include <cstdint>
#include <ctime>
#include <string>

namespace sbbs::spam {

struct BlockRequest {
    std::string ip;
    std::string host;           // "<no name>" / empty: no h= item
    std::string protocol;       // p=
    std::string reason;         // r=
    std::string user;           // u= (user name or reverse path)
    uint32_t duration_s = 0;    // e= now + duration; 0 = permanent
};

// "20260821T220747-0700" (local time; "Z" when the local offset is zero).
std::string list_time_text(std::time_t t);
// The line appended for `r` at `now`, with its LF.
std::string block_line(const BlockRequest& r, std::time_t now);

// Appends `r.ip` to the list at `path` unless the client is in `exempt`
// (ipfilter_exempt.cfg: IP or host) or the list already has an unexpired line
// for it; expired lines are pruned first when only they match. True when a
// line was appended.
Result<bool> add_blocked_ip(const std::string& path, const BlockRequest& r, const PatternList& exempt,
                            std::time_t now);

} // namespace sbbs::spam
