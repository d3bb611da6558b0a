// The handler a listener gets until its protocol is wired in: one
// well-formed refusal (SMTP 421 / POP3 -ERR), then the session ends.
#pragma once

#include "server/session_handler.h"

namespace sbbs {

class NotAvailableHandler : public SessionHandler {
public:
    void run(SessionIo& io, const SessionContext& ctx) override;
};

std::string not_available_reply(ListenerKind kind, const std::string& host_name);

} // namespace sbbs
