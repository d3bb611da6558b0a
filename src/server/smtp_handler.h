// One SMTP session (transfer, submission or implicit-TLS submission) run on
// a snapshot's services.
#pragma once

#include "server/mail_services.h"
#include "server/session_handler.h"

namespace sbbs {

void run_smtp_session(SessionIo& io, const SessionContext& ctx, MailServices& services, ServiceCache& cache);

} // namespace sbbs
