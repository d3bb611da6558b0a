// Local recipient resolution in the original's order (see local_users.h).
#include "smtp/local_users.h"

#include "util/strings.h"

#include <algorithm>

namespace sbbs::smtp {

static std::string dots_to_spaces(std::string_view s) {
    std::string r(s);
    std::replace(r.begin(), r.end(), '.', ' ');
    return r;
}

LocalMatch resolve_local_name(UserDirectory& users, const Config& cfg, std::string_view name,
                              bool from_alias, bool sysop_aliases) {
    LocalMatch m;
    if (from_alias && !name.empty() && name[0] >= '0' && name[0] <= '9') {          // SMTP-136
        uint32_t n = uint32_t(std::strtoul(std::string(name).c_str(), nullptr, 10));
        if (n && n <= users.last_user_number() && users.has_name_slot(n)) m.user = n;
        return m;
    }
    std::string_view user_part = name;
    if (!name.empty() && name[0] == '#') {                                           // USER-53
        user_part = name.substr(1);
    } else if (auto hash = name.find('#'); hash != std::string_view::npos) {        // SMTP-137
        user_part = name.substr(0, hash);
        m.tag = std::string(name.substr(hash + 1));
    }
    if (user_part.empty()) return m;
    if (sysop_aliases && (iequals(user_part, "sysop") || iequals(user_part, "postmaster") ||
                          (!cfg.sys.qwk_id.empty() && iequals(user_part, cfg.sys.qwk_id)))) {
        m.user = 1;                                                                  // SMTP-138
        return m;
    }
    if ((m.user = users.find_by_alias(user_part))) return m;
    const std::string& op = cfg.sys.operator_name;                                   // SMTP-139
    if (!op.empty() && (iequals(user_part, op) || iequals(dots_to_spaces(user_part), op))) {
        m.user = 1;
        return m;
    }
    if (cfg.msgs.settings & MsgsSettings::MM_REALNAME) {                             // SMTP-140
        if (!(m.user = users.find_by_real_name(user_part)))
            m.user = users.find_by_real_name(dots_to_spaces(user_part));
    }
    return m;
}

} // namespace sbbs::smtp
