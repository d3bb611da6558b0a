// One POP3 session (plain or implicit TLS) run on a snapshot's services.
#pragma once

#include "server/mail_services.h"
#include "server/session_handler.h"

namespace sbbs {

void run_pop3_session(SessionIo& io, const SessionContext& ctx, MailServices& services, ServiceCache& cache);

} // namespace sbbs
