// The client side of one SMTP session on an open connection (SEND-44,
// SEND-47..66, SEND-83): greeting, EHLO/HELO, opportunistic STARTTLS, AUTH
// to the relay, then transactions (ours, SEND-23: one MAIL FROM, several
// RCPT TO, one DATA; several transactions per connection with RSET between),
// QUIT. Ours: the text goes as one BDAT chunk to a server offering CHUNKING
// (RFC 3030), and a server's LIMITS (RFC 9422) are kept: RCPTMAX splits a
// transaction, MAILMAX ends the connection once reached. A session for
// REQUIRETLS mail (RFC 8689 4.2.1) must verify the server and find
// REQUIRETLS offered inside TLS (smtp_session_requiretls.cpp).
#pragma once

#include "log/logger.h"
#include "sendmail/peer_extensions.h"
#include "sendmail/sendmail_settings.h"
#include "sendmail/smtp_link.h"

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

enum class SessionResult { Sent, TempFail, PermFail, TlsFailed };

struct SessionOutcome {
    SessionResult result = SessionResult::TempFail;
    std::string error;              // the bounce reason (SEND-62 shape)
    size_t bytes = 0, lines = 0;    // of the message text sent
    // For a delivery status notice (RFC 3464 2.3): the reply line that
    // failed it, the server, an enhanced status when no reply gives one,
    // and whether the server offered DSN (RFC 3461 5.2: it answers for the
    // mail from here on; without, a NOTIFY=SUCCESS copy is "relayed", 5.2.2.3).
    std::string reply{}, remote{}, status{};
    bool peer_dsn = false;
    // RFC 8689 4.2.1: this host cannot carry REQUIRETLS mail (no verified
    // TLS, or no REQUIRETLS offered in it): the route's next host is tried.
    bool tls_refused = false;
};

// How the session is opened.
struct SessionStart {
    bool try_tls = true;            // false on the plain-text retry (SEND-52)
    bool auth = false;              // AUTH to the relay (SEND-54)
    TlsPeerCheck tls;               // what STARTTLS checks of the server (SEC-6)
    // RFC 8689 4.2.1: for REQUIRETLS mail. STARTTLS is a must and verifies
    // `tls` (verify set), and EHLO inside it must offer REQUIRETLS.
    bool requiretls = false;
};

// One transaction: one MAIL FROM, one RCPT TO per recipient, one DATA.
struct SmtpTransaction {
    std::string from;               // MAIL FROM argument, in <>
    std::vector<std::string> to;    // RCPT TO arguments, in <>
    std::string text;               // rendered message, CRLF lines, not dot-stuffed
    // RFC 3461 4: DSN parameters, sent only to a peer that offers DSN:
    // MAIL's ("RET=... ENVID=...") and each RCPT's (parallel to `to`; "" or
    // missing: none).
    std::string dsn_mail = {};
    std::vector<std::string> dsn_rcpt = {};
    bool requiretls = false;        // RFC 8689: MAIL FROM ... REQUIRETLS
};

struct TransactionOutcome {
    std::vector<SessionOutcome> rcpt;   // one per SmtpTransaction::to, in order
    // The last reply was a clean one: the connection may carry another
    // transaction (after RSET). False after a time-out or hang-up.
    bool usable = false;
    // MAIL got no reply, or 421 (the peer closed or is closing the
    // connection): nothing of the transaction reached the peer, so on a
    // reused connection it is no verdict on the mail (issue #14 review).
    bool closed_at_mail = false;
    bool any_sent() const;
};

class SmtpSession {
public:
    // `server` is the name first chosen (used in error texts, SEND-62).
    SmtpSession(SmtpLink& link, const SendMailSettings& s, Logger& log, std::string server);

    // The 220 greeting (SEND-44); false with `error` set otherwise.
    bool greet(std::string& error);
    // EHLO/HELO, STARTTLS and AUTH: Sent when the session is ready for mail.
    SessionOutcome open(const SessionStart& how);
    // One transaction (several when the server's RCPTMAX is lower than the
    // recipients); each recipient's result is its own (a 5xx to one RCPT
    // fails only that one); MAIL and DATA failures apply to all accepted.
    TransactionOutcome send(const SmtpTransaction& t);   // each outcome's peer_dsn set
    // RSET between transactions; false when the connection cannot go on
    // (also once the server's MAILMAX is reached: then after QUIT).
    bool reset();
    // What the last EHLO offered (nothing after HELO).
    const PeerExtensions& peer() const { return peer_; }
    const std::string& server() const { return server_; }
    // RFC 9422: the peer's LIMITS MAILMAX is used up; the next transaction
    // needs a new connection.
    bool mail_max_reached() const { return peer_.mail_max && transactions_ >= peer_.mail_max; }
    // QUIT, waiting briefly for 221 (its absence is ignored).
    void quit();
    int socket_number() const { return link_.socket_number(); }

private:
    struct Reply {
        bool ok = false;
        std::string line;           // the final line ("" = timeout/closed/overflow)
        std::vector<std::string> lines;
        bool overflow = false;      // longer than any real reply (SEC-5)
    };
    Reply expect(const std::string& code, unsigned waits = 1);
    bool put(const std::string& line, const std::string& shown = {});
    SessionOutcome fail(const Reply& r, const std::string& expected, bool may_be_permanent = true);
    SessionOutcome hello(const SessionStart& how);
    TransactionOutcome refuse_utf8(const SmtpTransaction& t);   // RFC 6531 3.4 (smtp_session_utf8.cpp)
    TransactionOutcome send_slices(const SmtpTransaction& t);
    // RFC 3461 4: MAIL/RCPT arguments with the DSN parameters when the peer offers DSN.
    std::string with_dsn(const std::string& arg, const std::string& params) const;
    // RFC 8689 4.2.1 (smtp_session_requiretls.cpp): why this host cannot
    // carry REQUIRETLS mail, with the enhanced status code a bounce gives;
    // QUIT first when the connection can still carry it.
    SessionOutcome refuse_requiretls(const SessionStart& how, const std::string& status, const std::string& why,
                                     bool quit_first);
    SessionOutcome require_tls_peer(const SessionStart& how);   // after EHLO inside TLS
    bool may_carry(const SmtpTransaction& t) const;
    TransactionOutcome refuse_transaction(const SmtpTransaction& t);
    TransactionOutcome transact(const std::string& from, std::span<const std::string> to, std::string_view text);
    bool send_text(std::string_view text, size_t& lines);   // DATA's or BDAT's, without the final reply
    SessionOutcome authenticate();
    std::string prefix() const;     // "<sock> SEND" or "<sock> SEND/TLS"
    void logf(LogLevel level, const std::string& text);
    void restart_deadline(size_t text_bytes);   // SEC-5: the whole session/transaction
    bool past_deadline();                       // logs when it is

    SmtpLink& link_;
    const SendMailSettings& s_;
    Logger& log_;
    std::string server_;
    std::chrono::steady_clock::time_point deadline_;
    PeerExtensions peer_;
    size_t transactions_ = 0;       // MAIL commands sent (RFC 9422 MAILMAX)
    bool requiretls_ok_ = false;    // opened for REQUIRETLS mail and every check passed
};

} // namespace sbbs
