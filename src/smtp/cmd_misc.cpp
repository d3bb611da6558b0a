// The small verbs: NOOP, QUIT, RSET, TURN, VRFY, EXPN, HELP, STARTTLS and
// the unknown-command rule with its bad-command counter (SMTP-48..SMTP-57,
// SMTP-86..SMTP-90).
#include "smtp/session.h"

#include <algorithm>

namespace sbbs::smtp {

SmtpSession::Flow SmtpSession::cmd_noop() {
    bad_commands_ = 0;                                               // SMTP-49
    reply(ok());                                                     // SMTP-55
    return Flow::Continue;
}

SmtpSession::Flow SmtpSession::cmd_quit() {
    reply({221, "2.0.0", host() + " Service closing transmission channel"});   // SMTP-56
    return Flow::Close;
}

SmtpSession::Flow SmtpSession::cmd_rset() {
    bad_commands_ = 0;                                               // SMTP-49
    reset_transaction();                                             // SMTP-57
    log_client(LogLevel::Info, "Session reset");
    reply(ok());
    return Flow::Continue;
}

SmtpSession::Flow SmtpSession::cmd_turn() {
    bad_commands_ = 0;                                               // SMTP-49
    reply({502, "5.5.1", "command not supported"});                  // SMTP-51
    return Flow::Continue;
}

// RFC 5321 section 3.5.3: a server that will not disclose its users answers
// VRFY with 252 rather than pretending the verb is unknown.
SmtpSession::Flow SmtpSession::cmd_vrfy() {
    reply({252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery"});
    return Flow::Continue;
}

SmtpSession::Flow SmtpSession::cmd_expn() {
    reply({502, "5.5.1", "EXPN not supported"});
    return Flow::Continue;
}

SmtpSession::Flow SmtpSession::cmd_help() {
    reply_raw("214-2.0.0 Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT");
    reply_raw("214-2.0.0 AUTH STARTTLS SEND SOML SAML VRFY");
    reply({214, "2.0.0", "End of HELP info"});
    return Flow::Continue;
}

SmtpSession::Flow SmtpSession::cmd_starttls() {
    if (!extras_.tls_available) {                                     // SMTP-87
        reply({454, "4.7.0", "TLS not available"});
        return Flow::Continue;
    }
    reply({220, "2.0.0", "Ready to start TLS"});                      // SMTP-88
    flush();
    if (!io_->start_tls().ok()) {
        // Nothing more is read: the client's next bytes are not a
        // command in either clear text or TLS.
        log_client(std::max(LogLevel::Info, cfg_->mail.tls_error_level), "!TLS handshake failed");   // SMTP-91
        out_.clear();
        return Flow::Close;
    }
    protocol_ = "SMTPS";                                              // SMTP-90
    // ours (RFC 3207 section 4.2): forget everything learnt before TLS.
    helo_done_ = false;
    esmtp_ = false;
    helo_name_ = client_host_;
    auth_user_ = 0;
    auth_alias_.clear();
    auth_logged_in_ = false;
    tx_ = Transaction{};
    phase_ = Phase::Greeted;
    bad_commands_ = 0;
    return Flow::Continue;
}

SmtpSession::Flow SmtpSession::cmd_unknown(const std::string& line) {
    log_client(LogLevel::Notice, "!UNSUPPORTED COMMAND: '" + line + "'");   // SMTP-48
    reply(syntax_error());
    if (++bad_commands_ > 9) {
        log_client(LogLevel::Warning, "!TOO MANY INVALID COMMANDS (" + std::to_string(bad_commands_) + ")");
        return Flow::Close;
    }
    return Flow::Continue;
}

} // namespace sbbs::smtp
