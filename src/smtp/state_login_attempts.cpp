// The state database behind LoginAttemptLog (see state_login_attempts.h).
#include "smtp/state_login_attempts.h"

#include "log/hack_log.h"
#include "smtp/received.h"

namespace sbbs::smtp {

unsigned StateLoginAttemptLog::record_failure(const FailedLogin& a) {
    std::optional<std::string_view> user, password;
    if (!a.user.empty()) user = a.user;
    if (!a.password.empty()) password = a.password;
    auto v = table_.record_failure(cfg_->mail.login_attempt, a.ip, a.protocol, user, password);
    if (!v.ok()) return 1;
    if (v->hack) {
        HackAttempt h;
        h.reason = v->hack_reason();
        h.user = a.user;
        h.date = rfc822_date(time(nullptr));
        h.port = port_;
        h.host = host_;
        h.ip = a.ip;
        h.password_given = !a.password.empty();
        (void)append_hack_log(cfg_->paths.logs, h);
    }
    return v->failures;
}

unsigned StateLoginAttemptLog::failures(const std::string& ip) {
    auto f = table_.find(ip);
    return f.ok() && f->has_value() ? (*f)->unique() : 0;
}

void StateLoginAttemptLog::clear(const std::string& ip) { (void)table_.clear(ip); }

} // namespace sbbs::smtp
