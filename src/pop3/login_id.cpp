// Login ID parsing and look-up by number, alias or real name.
#include "pop3/login_id.h"

#include "util/strings.h"

namespace sbbs::pop3 {

namespace {
// The original's real-name validity check, as far as a login needs it (CFG-101).
bool plausible_real_name(std::string_view s) {
    if (s.size() < 2 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) return false;
    if (s.back() == ' ' || s.find("  ") != std::string_view::npos) return false;
    for (char c : s)
        if (static_cast<unsigned char>(c) < ' ') return false;
    return true;
}
} // namespace

LoginId parse_login_id(std::string_view id) {
    LoginId out;
    size_t p = id.find("#nospam");
    out.no_spam = p != std::string_view::npos;
    out.name = std::string(id.substr(0, p));
    return out;
}

uint32_t find_login_user(UserDirectory& users, const SystemSettings& sys, std::string_view name) {
    if ((sys.login & SystemSettings::LOGIN_USERNUM) && !name.empty() && name[0] >= '0' && name[0] <= '9') {
        if (!all_digits(name) || name.size() > 9) return 0;
        uint32_t n = uint32_t(std::stoul(std::string(name)));
        return n <= users.last_user_number() ? n : 0;
    }
    if (uint32_t n = users.find_by_alias(name)) return n;
    if ((sys.login & SystemSettings::LOGIN_REALNAME) && plausible_real_name(name))
        return users.find_by_real_name(name);
    return 0;
}

} // namespace sbbs::pop3
