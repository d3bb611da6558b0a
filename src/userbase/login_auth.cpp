// Login look-up and password rules; the protocols add the reply codes.
#include "userbase/login_auth.h"

#include "config/pattern_list.h"
#include "config/settings.h"
#include "userbase/ars.h"
#include "util/strings.h"

#include <cstdlib>

namespace sbbs {

LoginId split_nospam(std::string_view raw) {
    static constexpr std::string_view kNoSpam = "#nospam";
    LoginId out;
    size_t at = raw.find(kNoSpam);
    out.nospam = at != std::string_view::npos;
    out.id = std::string(raw.substr(0, at));
    return out;
}

bool valid_real_name(const Config& cfg, std::string_view name) {
    if (name.size() < 2) return false;
    auto blank = [](char c) { return static_cast<unsigned char>(c) <= ' '; };
    if (blank(name.front()) || blank(name.back())) return false;
    for (char c : name) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u < ' ' || u == 0x7f || u == 0xff) return false;
    }
    if (name.find("  ") != std::string_view::npos) return false;
    char first = name.front();
    if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) return false;
    if (!cfg.paths.text.empty() &&
        PatternList::load(cfg.paths.text + "name.can", nullptr).contains(name))
        return false;
    return true;
}

uint32_t find_login_user(const Config& cfg, UserDirectory& users, std::string_view id) {
    if (id.empty()) return 0;
    if ((cfg.sys.login & SystemSettings::LOGIN_USERNUM) && id[0] >= '0' && id[0] <= '9') {
        if (!all_digits(id) || id.size() > 9) return 0;
        unsigned long n = std::strtoul(std::string(id).c_str(), nullptr, 10);
        if (n == 0 || n > users.last_user_number()) return 0;
        return static_cast<uint32_t>(n);
    }
    if (uint32_t n = users.find_by_alias(id)) return n;
    if ((cfg.sys.login & SystemSettings::LOGIN_REALNAME) && valid_real_name(cfg, id))
        return users.find_by_real_name(id);
    return 0;
}

std::string digest_secret(const User& user) { return to_lower(user.password); }

namespace {

bool password_accepted(const Credentials& c, const User& u) {
    if (c.method == AuthMethod::Digest)
        return c.digest_matches && c.digest_matches(digest_secret(u));
    return iequals(c.password, u.password);
}

} // namespace

AuthResult authenticate(const Config& cfg, UserDirectory& users, const Credentials& c) {
    AuthResult r;
    const uint32_t number = find_login_user(cfg, users, c.login_id);
    if (number == 0) {
        // not a failed login when the user base itself is gone: no ban
        if (!users.available()) {
            r.outcome = AuthOutcome::ReadError;
            r.detail = "user base unavailable";
        }
        return r;
    }
    auto user = users.get(number);
    if (!user) {
        r.outcome = AuthOutcome::ReadError;
        r.detail = user.error().message;
        return r;
    }
    r.user = std::move(*user);
    if (!r.user.usable()) {
        r.outcome = AuthOutcome::Unusable;
        return r;
    }
    const bool smtp_plain = c.method == AuthMethod::SmtpPlain || c.method == AuthMethod::SmtpLogin;
    if (smtp_plain && c.password.empty()) {
        r.outcome = AuthOutcome::EmptyPassword;
        return r;
    }
    // ours (SEC-4, USER-29): an empty stored password is no secret. An HMAC
    // or APOP digest keyed with "" is anyone's to compute, and an empty PASS
    // anyone's to send, so no mechanism logs such an account in.
    if (r.user.password.empty() || !password_accepted(c, r.user)) {
        r.outcome = AuthOutcome::BadPassword;
        return r;
    }
    auto meets = evaluate_ars(cfg.mail.login_requirements, r.user);
    if (!meets || !*meets) {
        r.outcome = AuthOutcome::Requirements;
        r.detail = meets ? cfg.mail.login_requirements : meets.error().message;
        return r;
    }
    r.outcome = AuthOutcome::Ok;
    return r;
}

} // namespace sbbs
