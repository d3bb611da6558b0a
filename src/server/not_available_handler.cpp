// Placeholder protocol handler: RFC 5321 421 / RFC 1939 -ERR and close.
#include "server/not_available_handler.h"

#include "server/listener_plan.h"

namespace sbbs {

std::string not_available_reply(ListenerKind kind, const std::string& host_name) {
    if (is_pop3(kind)) return "-ERR POP3 service not yet available\r\n";
    return "421 " + host_name + " SMTP service not yet available, closing transmission channel\r\n";
}

void NotAvailableHandler::run(SessionIo& io, const SessionContext& ctx) {
    io.write(not_available_reply(ctx.kind, ctx.config->mail.host_name));
}

} // namespace sbbs
