// Where the SMTP and POP3 session handlers are wired into the server.
#pragma once

#include "server/session_handler.h"

namespace sbbs {

// Empty factories answer "not yet available" (NotAvailableHandler).
SessionHandlers protocol_handlers();

} // namespace sbbs
