// The state database behind LoginAttemptLog (see state_login_attempts.h).
#include "smtp/state_login_attempts.h"

#include "log/duration_text.h"
#include "spam/auto_filter.h"

namespace sbbs::smtp {

FailureReport StateLoginAttemptLog::record_failure(const FailedLogin& a) {
    std::optional<std::string_view> user, password;
    if (!a.user.empty()) user = a.user;
    if (!a.password.empty()) password = a.password;
    auto v = table_.record_failure(cfg_->mail.login_attempt, a.ip, a.protocol, user, password);
    if (!v.ok()) return {1, {}, {}};
    FailureReport r{v->failures, duration_words(v->attempt.last - v->attempt.first), {}};
    r.notes = spam::act_on_failed_login(paths_, *v, {a.ip, a.host, a.protocol, a.port, a.user, password.has_value()},
                                        time(nullptr));
    return r;
}

unsigned StateLoginAttemptLog::failures(const std::string& ip) {
    auto f = table_.find(ip);
    return f.ok() && f->has_value() ? (*f)->unique() : 0;
}

std::optional<std::string> StateLoginAttemptLog::temp_ban(const std::string& ip, const std::string& host) {
    if (lists_.exempt && lists_.exempt->contains(ip, host)) return std::nullopt;    // SMTP-25
    auto listed = [&](std::string_view name) { return lists_.names && lists_.names->contains(name); };
    auto ban = table_.temp_ban(cfg_->mail.login_attempt, ip, listed);
    if (!ban.ok() || !*ban) return std::nullopt;       // a database failure bans nobody
    return (*ban)->log_text();
}

void StateLoginAttemptLog::clear(const std::string& ip) { (void)table_.clear(ip); }

} // namespace sbbs::smtp
