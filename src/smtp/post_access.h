// May this sender post on that sub-board through a sub: address? (SMTP-191,
// USER-39, CFG-116): the sub's access and post requirements, restrictions
// N (networked subs), O without Q (real-name subs), P, and postsperday.
#pragma once

#include "config/settings.h"
#include "userbase/user.h"

#include <optional>
#include <string>

namespace sbbs::smtp {

// The reason the post is refused, or nothing when it may be posted.
// `user` is the authenticated sender, or a default User (number 0, "nobody").
std::optional<std::string> post_refusal(const Config& cfg, const SubBoard& sub, const User& user);

} // namespace sbbs::smtp
