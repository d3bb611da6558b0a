// Adding successful recipients to ctrl/dnsbl_exempt.cfg so their replies
// bypass DNSBL checks (SEND-85..87).
#pragma once

#include "config/pattern_list.h"
#include "log/logger.h"
#include "userbase/user_directory.h"

#include <ctime>
#include <filesystem>
#include <optional>
#include <set>
#include <string>

namespace sbbs {

// Ours (issue #14): the exemption list as last read, so that a queue run
// does not parse the whole (growing) file again for every delivery: read
// again whenever its size or modification time is not what we left it at
// (the sysop edited it); what we appended since is remembered beside it.
struct ExemptCache {
    std::optional<PatternList> list;
    std::set<std::string> appended;     // "<addr>" lines we added since `list` was read
    uintmax_t size = 0;
    std::filesystem::file_time_type mtime{};
};

// `address` is the envelope recipient (with or without <>); `users` may be
// null (then no forwarding-address check). Returns true when appended.
// `cache` (may be null) is used under the caller's lock.
bool auto_exempt(const std::string& exempt_path, const std::string& address, const std::string& sender_info,
                 UserDirectory* users, Logger& log, time_t now, ExemptCache* cache = nullptr);

} // namespace sbbs
