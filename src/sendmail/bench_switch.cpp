// SBBSMAIL_TEST_ALLOW_LOOPBACK_MX (see bench_switch.h).
#include "sendmail/bench_switch.h"

#include <string_view>

namespace sbbs {

bool apply_loopback_mx_switch(SendMailSettings& s, const char* env_value) {
    // Only the exact value "1": "0", "false" or an empty value must not be
    // read as "on" by accident on a real install.
    if (env_value == nullptr || std::string_view(env_value) != "1") return false;
    s.allow_loopback_hosts = true;
    return true;
}

} // namespace sbbs
