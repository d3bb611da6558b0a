// LoginAttemptLog on the process-wide failed-login table of src/state,
// including its hack.log decision (SMTP-77, SMTP-79).
#pragma once

#include "config/settings.h"
#include "smtp/login_attempts.h"
#include "state/login_attempts.h"

namespace sbbs::smtp {

class StateLoginAttemptLog : public LoginAttemptLog {
public:
    // `port`/`host`: the client's, for hack.log entries.
    StateLoginAttemptLog(LoginAttempts& table, ConfigPtr cfg, uint16_t port, std::string host)
        : table_(table), cfg_(std::move(cfg)), port_(port), host_(std::move(host)) {}

    unsigned record_failure(const FailedLogin& attempt) override;
    unsigned failures(const std::string& ip) override;
    void clear(const std::string& ip) override;

private:
    LoginAttempts& table_;
    ConfigPtr cfg_;
    uint16_t port_;
    std::string host_;
};

} // namespace sbbs::smtp
