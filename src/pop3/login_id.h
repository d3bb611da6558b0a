// Which user a POP3 login ID names (pop3.md POP3-32, POP3-33; userbase.md
// USER-19, USER-21, USER-22, USER-32).
#pragma once

#include "config/settings.h"
#include "userbase/user_directory.h"

#include <string>
#include <string_view>

namespace sbbs::pop3 {

struct LoginId {
    std::string name;        // the ID with any "#nospam" and what follows cut off
    bool no_spam = false;    // "#nospam" was given: hide SPAM-flagged mail
};

// Cut the ID at the first "#nospam" (case-sensitive, anywhere).
LoginId parse_login_id(std::string_view id);
// The user number the ID names, or 0.
uint32_t find_login_user(UserDirectory& users, const SystemSettings& sys, std::string_view name);

} // namespace sbbs::pop3
