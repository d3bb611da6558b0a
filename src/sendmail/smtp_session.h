// The client side of one SMTP session on an open connection (SEND-44,
// SEND-47..66, SEND-83): greeting, EHLO/HELO, opportunistic STARTTLS, AUTH
// to the relay, one MAIL/RCPT/DATA transaction, QUIT.
#pragma once

#include "log/logger.h"
#include "sendmail/sendmail_settings.h"
#include "sendmail/smtp_link.h"

#include <string>
#include <vector>

namespace sbbs {

enum class SessionResult { Sent, TempFail, PermFail, TlsFailed };

struct SessionOutcome {
    SessionResult result = SessionResult::TempFail;
    std::string error;              // the bounce reason (SEND-62 shape)
    size_t bytes = 0, lines = 0;    // of the message text sent
};

struct SmtpTransaction {
    std::string from, to;           // MAIL FROM / RCPT TO arguments, in <>
    std::string text;               // rendered message, CRLF lines, not dot-stuffed
    bool try_tls = true;            // false on the plain-text retry (SEND-52)
    bool auth = false;              // AUTH to the relay (SEND-54)
};

class SmtpSession {
public:
    // `server` is the name first chosen (used in error texts, SEND-62).
    SmtpSession(SmtpLink& link, const SendMailSettings& s, Logger& log, std::string server);

    // The 220 greeting (SEND-44); false with `error` set otherwise.
    bool greet(std::string& error);
    // Everything after the greeting up to the final 250.
    SessionOutcome deliver(const SmtpTransaction& t);
    // QUIT, waiting briefly for 221 (its absence is ignored).
    void quit();

private:
    struct Reply {
        bool ok = false;
        std::string line;           // the final line ("" = timeout/closed)
        std::vector<std::string> lines;
    };
    Reply expect(const std::string& code, unsigned waits = 1);
    bool send(const std::string& line, const std::string& shown = {});
    SessionOutcome fail(const Reply& r, const std::string& expected, bool may_be_permanent = true);
    SessionOutcome hello(const SmtpTransaction& t);
    SessionOutcome authenticate();
    SessionOutcome transaction(const SmtpTransaction& t);
    std::string prefix() const;     // "<sock> SEND" or "<sock> SEND/TLS"
    void logf(LogLevel level, const std::string& text);

    SmtpLink& link_;
    const SendMailSettings& s_;
    Logger& log_;
    std::string server_;
};

// Dot-stuffed CRLF lines of `text` for DATA, without the final "." line.
std::vector<std::string> data_lines(const std::string& text);

} // namespace sbbs
