// Recipient name -> local user (SMTP-136..SMTP-140, CFG-120 steps 1-4), on
// top of UserDirectory's name look-ups. Kept small on purpose: the loose
// alias comparison itself belongs to the user directory (USER-19).
#pragma once

#include "config/settings.h"
#include "userbase/user_directory.h"

#include <string>
#include <string_view>

namespace sbbs::smtp {

struct LocalMatch {
    uint32_t user = 0;          // 0 = not found
    std::string tag;            // text after '#', "" = none (SMTP-137)
};

// `from_alias`: the name is an alias.cfg value (numbers allowed, SMTP-136).
// `sysop_aliases`: sysop/postmaster/QWK id are user 1 (SMTP-138).
LocalMatch resolve_local_name(UserDirectory& users, const Config& cfg, std::string_view name,
                              bool from_alias, bool sysop_aliases);

} // namespace sbbs::smtp
