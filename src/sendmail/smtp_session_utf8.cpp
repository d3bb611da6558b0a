// SMTPUTF8 in the client session (RFC 6531): which peers offer it, and the
// refusal of a message that needs it when the peer does not.
#include "sendmail/smtp_session.h"

namespace sbbs {

// RFC 6531 3.7.4.1 / 3.4: no downgrade (RFC 6532 text cannot be made ASCII
// without changing it), so every recipient fails for good with 5.6.7 and the
// bounce says why; nothing is sent to this peer.
TransactionOutcome SmtpSession::refuse_utf8(const SmtpTransaction& t) {
    logf(LogLevel::Notice, "!" + server_ + " does not support SMTPUTF8, required by this message");
    TransactionOutcome out;
    SessionOutcome refused;
    refused.result = SessionResult::PermFail;
    refused.error = server_ + " does not support SMTPUTF8 (RFC 6531), which this message needs:\r\n"
                              "\"553 5.6.7 Non-ASCII address or header field requires SMTPUTF8\"";
    out.rcpt.assign(t.to.size(), refused);
    out.usable = true;              // nothing was sent: the connection can carry the next message
    return out;
}

} // namespace sbbs
