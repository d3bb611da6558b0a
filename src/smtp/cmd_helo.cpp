// HELO and EHLO (SMTP-59..SMTP-63), with the ESMTP extensions a modern
// client expects: PIPELINING, 8BITMIME, SIZE, ENHANCEDSTATUSCODES, AUTH and
// STARTTLS (only when TLS is available and not yet active), SMTPUTF8.
#include "smtp/session.h"

#include "util/strings.h"

namespace sbbs::smtp {

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
    reply_raw("250 OK");
    return Flow::Continue;
}

} // namespace sbbs::smtp
