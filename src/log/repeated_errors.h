// De-duplication of a sustained fault (SMTP-260, POP3-118): an error logged
// from the same place as the error just before it is downgraded to WARNING,
// so it is still shown but no longer floods error.log. "Place" is a name the
// caller chooses for the code location (e.g. "pop3.open_mailbox").
// Thread-safe; one per server, shared by every session.
#pragma once

#include "log/log_level.h"

#include <mutex>
#include <string>
#include <string_view>

namespace sbbs {

class RepeatedErrors {
public:
    // The level to log at: `level`, or WARNING when this place also logged
    // the previous error and `level` is more severe than WARNING.
    LogLevel level_for(LogLevel level, std::string_view place);

private:
    std::mutex mutex_;
    std::string last_place_;
};

} // namespace sbbs
