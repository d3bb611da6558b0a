// The POP3 session's failed-login questions answered from the state database.
#include "pop3/state_login_attempts.h"

namespace sbbs::pop3 {

unsigned StateLoginAttemptLog::attempts(const std::string& ip) {
    auto rec = table_.find(ip);
    return rec && *rec ? (*rec)->unique() : 0;
}

std::optional<LoginAttemptLog::Ban> StateLoginAttemptLog::banned(const std::string& ip) {
    auto listed = name_listed_ ? name_listed_ : [](std::string_view) { return false; };
    auto ban = table_.temp_ban(cfg_->mail.login_attempt, ip, listed);
    if (!ban || !*ban) return std::nullopt;      // a database failure bans nobody
    const TempBan& b = **ban;
    return Ban{b.attempt.unique(), b.attempt.user, unsigned(b.remaining_s > 0 ? b.remaining_s : 0)};
}

LoginAttemptLog::Failure StateLoginAttemptLog::record_failure(const FailedLogin& a) {
    auto v = table_.record_failure(cfg_->mail.login_attempt, a.ip, a.protocol, a.user, a.password);
    if (!v) return {};
    Failure f{v->failures, time_t(v->attempt.first), time_t(v->attempt.last), v->report, {}};
    if (on_failure_) f.notes = on_failure_(*v, a);
    return f;
}

void StateLoginAttemptLog::record_success(const std::string& ip) { (void)table_.succeeded(ip); }

} // namespace sbbs::pop3
