// Protocol handler wiring. SMTP and POP3 plug in here once their modules land:
//   h.smtp = [=](ListenerKind) { return std::make_unique<SmtpSessionHandler>(services...); };
#include "server/protocol_handlers.h"

namespace sbbs {

SessionHandlers protocol_handlers(const RuntimeServices&) {
    SessionHandlers h;
    return h;
}

} // namespace sbbs
