// The failure notice for an undeliverable message (SEND-92..94, FMT-121):
// whether one is due, and its header (it shares the original's text).
#pragma once

#include "msgbase/message.h"

#include <ctime>
#include <string>

namespace sbbs {

struct BounceContext {
    std::string host;               // HostName, else sys_inetaddr (SEND-94)
    bool delete_read_mail = false;  // SYS_DELREADM -> MSG_KILLREAD
    time_t now = 0;                 // for the generated Message-ID
};

// SEND-92: false when the undeliverable message gets no notice.
bool wants_notice(const smb::MessageHeader& original);
// The notice's recipient name (reverse path, else sender name).
std::string notice_recipient(const smb::MessageHeader& original);
// The notice header; `attempts` is the original's counter, `error` the reason.
smb::MessageHeader make_notice(const smb::MessageHeader& original, const std::string& error,
                               const BounceContext& ctx);

} // namespace sbbs
