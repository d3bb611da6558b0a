// The one test/bench-only switch of a running server: the environment
// variable SBBSMAIL_TEST_ALLOW_LOOPBACK_MX lets SendMail contact MX hosts on
// this machine (SEND-41 refuses them), so benches can deliver to sinks on
// 127.x addresses. Off unless set to exactly "1"; never read from sbbs.ini,
// so no configuration file can turn the guard off.
#pragma once

#include "sendmail/sendmail_settings.h"

namespace sbbs {

inline constexpr const char* kAllowLoopbackMxEnv = "SBBSMAIL_TEST_ALLOW_LOOPBACK_MX";

// Applies the switch from the variable's value (nullptr = unset); returns
// whether it turned the SEND-41 guard off, so the caller can log it loudly.
bool apply_loopback_mx_switch(SendMailSettings& s, const char* env_value);

} // namespace sbbs
