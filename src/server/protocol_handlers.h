// Where the SMTP and POP3 session handlers are wired into the server, with
// the shared services they need.
#pragma once

#include "server/session_handler.h"

#include <memory>

namespace sbbs {

class Database;

struct RuntimeServices {
    std::shared_ptr<Database> state;   // data/sbbsmail.db, open for the server's lifetime
};

// Handlers that run the real SMTP and POP3 sessions on each snapshot's
// services (mail_services.h).
SessionHandlers protocol_handlers(const RuntimeServices& services);

} // namespace sbbs
