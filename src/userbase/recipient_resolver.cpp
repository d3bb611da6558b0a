// Recipient resolution in the original's order: user number (aliased
// only), alias (+ sysop built-ins), operator name, real names, DefaultUser.
#include "userbase/recipient_resolver.h"

#include "userbase/cp437.h"
#include "userbase/name_index.h"

#include "config/settings.h"
#include "util/strings.h"

#include <algorithm>
#include <cstdlib>

namespace sbbs {

SplitLocalPart split_tag(std::string_view lp) {
    // strtok semantics: leading '#'s are skipped, the tag is the rest after
    // the next '#'.
    size_t start = lp.find_first_not_of('#');
    if (start == std::string_view::npos) return {};
    lp = lp.substr(start);
    size_t hash = lp.find('#');
    if (hash == std::string_view::npos) return {std::string(lp), {}};
    return {std::string(lp.substr(0, hash)), std::string(lp.substr(hash + 1))};
}

namespace {

bool sysop_builtin(const Config& cfg, std::string_view name) {
    return iequals(name, "sysop") || iequals(name, "postmaster") ||
           (!cfg.sys.qwk_id.empty() && iequals(name, cfg.sys.qwk_id));
}

std::string dots_to_spaces(std::string_view s) {
    std::string out(s);
    std::replace(out.begin(), out.end(), '.', ' ');
    return out;
}

// A found user, unless one of its blocked tags was used (USER-53).
RecipientMatch found(UserDirectory& users, uint32_t n, const std::string& tag) {
    RecipientMatch m;
    m.tag = tag;
    if (!tag.empty() && users.tag_blocked(n, tag)) {
        m.reason = RecipientReason::BlockedTag;
        return m;
    }
    m.user = n;
    m.reason = RecipientReason::Found;
    return m;
}

RecipientMatch by_name(const Config& cfg, UserDirectory& users, std::string_view lp) {
    RecipientMatch none;
    SplitLocalPart p = split_tag(lp);
    none.tag = p.tag;
    if (p.name.empty()) return none;
    if (cfg.mail.has(mail_opt::ALLOW_SYSOP_ALIASES) && sysop_builtin(cfg, p.name))
        return found(users, 1, p.tag);
    if (uint32_t n = users.find_by_alias(p.name)) return found(users, n, p.tag);
    const std::string spaced = dots_to_spaces(lp);
    if (!cfg.sys.operator_name.empty() &&
        (iequals(lp, cfg.sys.operator_name) || iequals(spaced, cfg.sys.operator_name)))
        return found(users, 1, {});
    if (cfg.msgs.settings & MsgsSettings::MM_REALNAME) {
        if (uint32_t n = users.find_by_real_name(p.name)) return found(users, n, p.tag);
        SplitLocalPart q = split_tag(spaced);
        if (!q.name.empty())
            if (uint32_t n = users.find_by_real_name(q.name)) return found(users, n, q.tag);
    }
    return none;
}

RecipientMatch default_user(const Config& cfg, UserDirectory& users) {
    RecipientMatch m;
    const std::string& d = cfg.mail.default_user;
    uint32_t n = sysop_builtin(cfg, d) ? 1 : users.find_by_alias(d);
    if (n == 0) {
        m.reason = RecipientReason::UnknownDefault;
        return m;
    }
    m.user = n;
    m.reason = RecipientReason::DefaultUser;
    return m;
}

} // namespace

RecipientMatch resolve_recipient(const Config& cfg, UserDirectory& users,
                                 std::string_view lp, bool aliased) {
    RecipientMatch m;
    if (aliased && !lp.empty() && lp[0] >= '0' && lp[0] <= '9') {
        // atoi: the leading digits; valid only with a non-empty name.dat slot
        uint32_t n = static_cast<uint32_t>(std::strtoul(std::string(lp).c_str(), nullptr, 10));
        if (n != 0 && users.has_name_slot(n)) m = found(users, n, {});
    } else {
        m = by_name(cfg, users, lp);
        if (m.reason == RecipientReason::Unknown && !cfg.mail.default_user.empty())
            m = default_user(cfg, users);
    }
    if (!m.ok()) {
        if (m.reason == RecipientReason::Unknown && !users.available()) m.reason = RecipientReason::Unavailable;
        return m;
    }
    auto u = users.get(m.user);
    if (!u || !u->usable()) {
        m.user = 0;
        m.reason = u ? RecipientReason::Unusable
                 : u.error().code == ErrorCode::NotFound ? RecipientReason::Unknown
                                                         : RecipientReason::Unavailable;
    }
    return m;
}

namespace {

// The user `m` found for the CP437 name is the one it spells, 8-bit letters included.
bool spells_user(const Config& cfg, UserDirectory& users, const RecipientMatch& m, std::string_view cp437) {
    auto u = users.get(m.user);
    if (!u) return false;
    const std::string name = split_tag(cp437).name, spaced = dots_to_spaces(name);
    if (fold_user_name_8bit(u->alias) == fold_user_name_8bit(name)) return true;
    if (cp437_iequals(u->name, name) || cp437_iequals(u->name, spaced)) return true;
    return m.user == 1 && (cp437_iequals(cfg.sys.operator_name, name) || cp437_iequals(cfg.sys.operator_name, spaced));
}

// The user whose alias spells `name` with its 8-bit letters, done only when
// USER-19's first match was the wrong one. Through name.dat and one record
// read: an unauthenticated SMTPUTF8 client can ask for it on every RCPT, so
// it must not read every user record (the first such alias is the one, as
// USER-19's first match is; if that user is unusable the name is unknown).
RecipientMatch find_spelled(UserDirectory& users, std::string_view cp437) {
    SplitLocalPart p = split_tag(cp437);
    uint32_t n = users.find_by_alias_8bit(p.name);
    if (n == 0) return {};
    auto u = users.get(n);
    if (!u || !u->usable()) return {};
    return found(users, n, p.tag);
}

} // namespace

RecipientMatch resolve_utf8_recipient(const Config& cfg, UserDirectory& users,
                                      std::string_view lp, bool aliased) {
    auto cp437 = utf8_to_cp437_exact(lp);
    if (cp437) {
        RecipientMatch m = resolve_recipient(cfg, users, *cp437, aliased);
        if (aliased || m.reason != RecipientReason::Found || spells_user(cfg, users, m, *cp437)) return m;
        if (RecipientMatch s = find_spelled(users, *cp437); s.reason != RecipientReason::Unknown) return s;
    }
    // No BBS name spells it: unknown, so DefaultUser (if any) takes it, as for
    // any unknown name (an empty name resolves to exactly that).
    return resolve_recipient(cfg, users, {}, false);
}

} // namespace sbbs
