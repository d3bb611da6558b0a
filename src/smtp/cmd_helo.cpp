// HELO and EHLO (SMTP-59..SMTP-63), with the ESMTP extensions a modern
// client expects: PIPELINING, 8BITMIME, SIZE, ENHANCEDSTATUSCODES, AUTH,
// STARTTLS (only when TLS is available and not yet active), SMTPUTF8
// (RFC 6531), CHUNKING and BINARYMIME (RFC 3030; binary bodies are made
// storable text at their end, cmd_bdat_binary.cpp), DSN (RFC 3461), LIMITS
// (RFC 9422) and REQUIRETLS (RFC 8689, only inside TLS).
#include "smtp/session.h"

#include "util/strings.h"

#include <algorithm>

namespace sbbs::smtp {

// RFC 9422 section 4: the limits we enforce. RCPTMAX is MaxRecipients
// (SMTP-107's 452 past it; 0 = unlimited, so none is advertised; the
// grammar allows at most 6 digits, and a lower figure only makes a client
// send fewer). MAILMAX is left out: nothing limits the transactions of one
// session (MaxRequestsPerPeriod counts a client's command lines over time,
// whatever they are), and RFC 9422 says to advertise only limits applied.
std::string SmtpSession::limits_keyword() const {
    uint32_t rcpt = std::min<uint32_t>(cfg_->mail.max_recipients, 999999);
    return rcpt ? "LIMITS RCPTMAX=" + std::to_string(rcpt) : std::string();
}

SmtpSession::Flow SmtpSession::cmd_helo(const std::string& line, bool extended) {
    std::string name(trim(std::string_view(line).substr(4)));
    helo_name_ = name;
    esmtp_ = extended;
    helo_done_ = true;
    reset_transaction();                                            // SMTP-61
    phase_ = Phase::Ready;
    Verdict v = filters_.consult([&](SmtpFilter& f) { return f.on_helo(facts()); });
    if (v.decided()) return apply(v);
    if (!extended) {
        reply({250, "", host()});                                    // SMTP-59
        return Flow::Continue;
    }
    reply_raw("250-" + host());                                      // SMTP-60
    reply_raw("250-AUTH PLAIN LOGIN CRAM-MD5");
    reply_raw("250-SEND");
    reply_raw("250-SOML");
    reply_raw("250-SAML");
    reply_raw("250-8BITMIME");
    if (extras_.tls_available && !io_->is_tls()) reply_raw("250-STARTTLS");
    if (cfg_->mail.max_msg_size) reply_raw("250-SIZE " + std::to_string(cfg_->mail.max_msg_size));
    reply_raw("250-PIPELINING");                                     // ours: RFC 2920
    reply_raw("250-ENHANCEDSTATUSCODES");                            // ours: RFC 2034
    reply_raw("250-SMTPUTF8");                                       // ours: RFC 6531 3.2
    reply_raw("250-CHUNKING");                                       // ours: RFC 3030, every port
    reply_raw("250-BINARYMIME");                                     // ours: RFC 3030 section 3
    reply_raw("250-DSN");                                            // ours: RFC 3461 4, every port (not SMTP-62)
    if (auto limits = limits_keyword(); !limits.empty()) reply_raw("250-" + limits);   // ours: RFC 9422
    // Ours (RFC 8689 2): REQUIRETLS mail is taken only over TLS, so the
    // keyword is offered only there (after STARTTLS, and on the TLS port).
    if (io_->is_tls()) reply_raw("250-REQUIRETLS");
    reply_raw("250 OK");
    return Flow::Continue;
}

} // namespace sbbs::smtp
