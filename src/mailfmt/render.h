// Turning a stored SMB message into RFC 822 text, as the original's POP3
// server and SendMail do (pop3.md, sendmail.md). Shared by POP3 and SendMail.
#pragma once

#include "msgbase/message.h"

#include <string>

namespace sbbs {

struct RenderContext {
    std::string host_name;       // the server's host name (final HostName)
    std::string inet_addr;       // msgs.ini [Internet] addr
    std::string system_name;     // main.ini name (Organization fallback)
};

// Header lines + blank line + body (+ tails), CRLF line ends, NOT dot-stuffed.
std::string render_rfc822(const smb::Message& msg, const RenderContext& ctx);

} // namespace sbbs
