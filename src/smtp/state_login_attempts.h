// LoginAttemptLog on the process-wide failed-login table of src/state, with
// what a failure leads to on disk (hack.log, ip.can: src/spam/auto_filter).
#pragma once

#include "config/cached_pattern_list.h"
#include "config/settings.h"
#include "smtp/login_attempts.h"
#include "spam/anti_spam.h"
#include "state/login_attempts.h"

namespace sbbs::smtp {

// The lists a ban decision reads: ctrl/ipfilter_exempt.cfg and text/name.can.
struct LoginBanLists {
    CachedPatternList* exempt = nullptr;
    CachedPatternList* names = nullptr;
};

class StateLoginAttemptLog : public LoginAttemptLog {
public:
    StateLoginAttemptLog(LoginAttempts& table, ConfigPtr cfg, LoginBanLists lists = {})
        : table_(table), cfg_(std::move(cfg)), paths_(spam::AntiSpamPaths::of(*cfg_)), lists_(lists) {}

    FailureReport record_failure(const FailedLogin& attempt) override;
    unsigned failures(const std::string& ip) override;
    std::optional<std::string> temp_ban(const std::string& ip, const std::string& host) override;
    void clear(const std::string& ip) override;

private:
    LoginAttempts& table_;
    ConfigPtr cfg_;
    spam::AntiSpamPaths paths_;
    LoginBanLists lists_;
};

} // namespace sbbs::smtp
