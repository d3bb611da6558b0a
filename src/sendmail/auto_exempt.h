// Adding successful recipients to ctrl/dnsbl_exempt.cfg so their replies
// bypass DNSBL checks (SEND-85..87).
#pragma once

#include "config/pattern_list.h"
#include "log/logger.h"
#include "userbase/user_directory.h"
#include "util/platform_file.h"

#include <ctime>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>

namespace sbbs {

// Ours (issue #14): the exemption list as last read, so that a queue run
// does not parse the whole (growing) file again for every delivery: read
// again whenever its stamp is not what we left it at (the sysop edited it),
// and under StatCachedFile's settle rule; what we appended since is
// remembered beside it. Our own append keeps the list only when the file
// grew by exactly our bytes from the stamp we knew: any other edit made
// meanwhile has it read again (issue #14 review, finding 8).
struct ExemptCache {
    std::optional<PatternList> list;
    std::set<std::string> appended;     // "<addr>" lines we added since `list` was read
    FileStamp stamp;                    // of the file as `list` and `appended` know it
    bool trusted = false;               // `stamp` was settled when taken
    int64_t settle_ns = 2'000'000'000;  // StatCachedFile::kSettleNs (tests shorten it)
    std::function<void()> after_append; // tests: runs between our append and its stat
};

// `address` is the envelope recipient (with or without <>); `users` may be
// null (then no forwarding-address check). Returns true when appended.
// `cache` (may be null) is used under the caller's lock.
bool auto_exempt(const std::string& exempt_path, const std::string& address, const std::string& sender_info,
                 UserDirectory* users, Logger& log, time_t now, ExemptCache* cache = nullptr);

} // namespace sbbs
