// LoginAttemptLog over the state module's failed-login table (shared with
// SMTP): the POP3 session's view of bans, throttling and failure counting.
#pragma once

#include "config/settings.h"
#include "pop3/login_attempts.h"
#include "state/login_attempts.h"

#include <functional>

namespace sbbs::pop3 {

class StateLoginAttemptLog : public LoginAttemptLog {
public:
    // What to do with a counted failure beyond logging: hack.log, text/ip.can
    // (the server wires these; they are shared with SMTP). Returns the
    // lines to log.
    using FailureAction = std::function<std::vector<std::string>(const FailureVerdict&, const FailedLogin&)>;

    StateLoginAttemptLog(LoginAttempts& table, ConfigPtr cfg, LoginAttempts::NameListed name_listed = {},
                         FailureAction on_failure = {})
        : table_(table), cfg_(std::move(cfg)), name_listed_(std::move(name_listed)),
          on_failure_(std::move(on_failure)) {}

    unsigned attempts(const std::string& ip) override;
    std::optional<Ban> banned(const std::string& ip) override;
    Failure record_failure(const FailedLogin& attempt) override;
    void record_success(const std::string& ip) override;

private:
    LoginAttempts& table_;
    ConfigPtr cfg_;
    LoginAttempts::NameListed name_listed_;
    FailureAction on_failure_;
};

} // namespace sbbs::pop3
