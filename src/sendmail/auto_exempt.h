// Adding successful recipients to ctrl/dnsbl_exempt.cfg so their replies
// bypass DNSBL checks (SEND-85..87).
#pragma once

#include "log/logger.h"
#include "userbase/user_directory.h"

#include <ctime>
#include <string>

namespace sbbs {

// `address` is the envelope recipient (with or without <>); `users` may be
// null (then no forwarding-address check). Returns true when appended.
bool auto_exempt(const std::string& exempt_path, const std::string& address, const std::string& sender_info,
                 UserDirectory* users, Logger& log, time_t now);

} // namespace sbbs
