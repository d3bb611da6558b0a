// Where the SMTP server leaves words for BBS users: new-mail notices and
// telegrams appended to data/msgs/NNNN.msg (USER-55..USER-59), and whether
// a user is on line (node.dab).
#pragma once

#include "util/result.h"

#include <cstdint>
#include <string_view>

namespace sbbs::smtp {

class UserNotices {
public:
    virtual ~UserNotices() = default;
    virtual bool is_online(uint32_t user) = 0;
    // SEND requires the user to be on line with paging enabled (SMTP-149).
    virtual bool accepts_pages(uint32_t user) = 0;
    // Append Ctrl-A coded `text` to the user's .msg file and flag their node.
    virtual Status append(uint32_t user, std::string_view text) = 0;
};

} // namespace sbbs::smtp
