// Sub-board post permission, checked in the original's order.
#include "smtp/post_access.h"

#include "userbase/ars.h"

namespace sbbs::smtp {

namespace {

constexpr uint32_t SUB_NETWORKED = 0x8 | 0x10 | 0x20 | 0x80000;   // QWKnet, PostLink, FidoNet, Internet
constexpr uint32_t SUB_REAL_NAMES = 0x400;

bool meets(const std::string& ars, const User& user) {
    auto r = evaluate_ars(ars, user);
    return r.ok() && *r;   // an unsupported requirement refuses rather than opens the sub
}

} // namespace

std::optional<std::string> post_refusal(const Config& cfg, const SubBoard& sub, const User& user) {
    if (!meets(sub.ars, user)) return "You don't have access to this sub-board";
    if (!meets(sub.post_ars, user)) return "You can't post on this sub-board";
    if ((sub.settings & SUB_NETWORKED) && user.restricted('N')) return "You can't post on networked sub-boards";
    if ((sub.settings & SUB_REAL_NAMES) && user.restricted('O') && !user.restricted('Q'))
        return "This sub-board requires real names";
    if (user.restricted('P')) return "You can't post messages";
    // The day counter belongs to a user record; "nobody" has none.
    if (user.number && user.ptoday >= cfg.sys.level(user.level).posts_per_day)
        return "Too many posts today";
    return std::nullopt;
}

} // namespace sbbs::smtp
