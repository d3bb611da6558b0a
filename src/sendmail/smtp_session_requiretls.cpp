// REQUIRETLS in the client session (RFC 8689 4.2.1): the checks a host must
// pass before it carries REQUIRETLS mail (STARTTLS, the certificate verified
// for the host's name by SessionStart::tls, REQUIRETLS offered inside TLS),
// the refusal that sends the worker to the next host, and the guard that
// keeps such mail off any other session.
#include "sendmail/smtp_session.h"

namespace sbbs {

// The text becomes the bounce's reason (SEND-62 shape: who, and the status
// line in quotes), so the sender reads which host failed and how.
SessionOutcome SmtpSession::refuse_requiretls(const SessionStart& how, const std::string& status,
                                              const std::string& why, bool quit_first) {
    const std::string& host = how.tls.host.empty() ? server_ : how.tls.host;
    logf(LogLevel::Notice, "!" + host + " cannot carry REQUIRETLS mail: it " + why);
    if (quit_first) quit();   // RFC 8689 4.2.1: QUIT, then the next MX host
    SessionOutcome o;
    o.result = SessionResult::PermFail;
    o.tls_refused = true;
    const char* name = status == "5.7.30" ? "REQUIRETLS support required" : "Encryption needed";
    o.error = host + " " + why + ", and this message was sent with REQUIRETLS (RFC 8689):\r\n\"" + status + " " +
              name + "\"";
    return o;
}

// RFC 8689 4.2.1 step 4: EHLO inside TLS must offer REQUIRETLS.
SessionOutcome SmtpSession::require_tls_peer(const SessionStart& how) {
    if (!peer_.requiretls) return refuse_requiretls(how, "5.7.30", "does not offer REQUIRETLS", true);
    requiretls_ok_ = true;
    logf(LogLevel::Debug, (how.tls.verify ? "verified TLS to " : "TLS to this host's own ") + how.tls.host +
                              ", REQUIRETLS offered");
    return {SessionResult::Sent, {}};
}

bool SmtpSession::may_carry(const SmtpTransaction& t) const {
    return !t.requiretls || (requiretls_ok_ && link_.is_tls());
}

// Never reached while the worker keys sessions by TLS request (tls_request.h);
// kept so a future caller cannot leak REQUIRETLS mail over plain or
// unverified TLS. Nothing is sent; the connection stays usable.
TransactionOutcome SmtpSession::refuse_transaction(const SmtpTransaction& t) {
    logf(LogLevel::Error, "!REQUIRETLS message offered to a session not opened for it: not sent to " + server_);
    TransactionOutcome out;
    SessionOutcome refused;
    refused.result = SessionResult::TempFail;
    refused.error = server_ + ": the session was not opened for REQUIRETLS mail (internal error); tried again later";
    out.rcpt.assign(t.to.size(), refused);
    out.usable = true;
    return out;
}

} // namespace sbbs
