// libFuzzer target for what SendMail reads from a remote server: greeting,
// EHLO/HELO replies (multi-line, extension keywords: CHUNKING, DSN (the
// parameters go along) and LIMITS RCPTMAX/MAILMAX values change what follows), STARTTLS and AUTH challenges
// to a relay (PLAIN, LOGIN, CRAM-MD5), and the replies to MAIL, RCPT, RSET,
// DATA or BDAT and the message; the input is cut into the server's lines.
#include "config/options.h"
#include "fuzz_lines.h"
#include "log/capture_logger.h"
#include "sendmail/smtp_session.h"

#include <deque>

using namespace sbbs;

namespace {

// The remote server: its reply lines scripted, whatever we send discarded.
class ScriptedLink : public SmtpLink {
public:
    std::deque<std::string> replies;
    bool tls_ok = false;
    ReadLine read_line(unsigned) override {
        if (replies.empty()) return {ReadStatus::Closed, {}};
        std::string l = std::move(replies.front());
        replies.pop_front();
        LineEnd end = LineEnd::CrLf;
        if (!l.empty() && l.back() == '\n') { l.pop_back(); end = LineEnd::BareLf; }
        return {ReadStatus::Line, std::move(l), end};
    }
    bool write(std::string_view) override { return true; }
    Status start_tls(unsigned, const TlsPeerCheck&) override {
        if (!tls_ok) return make_error("handshake failed");
        tls_ = true;
        return {};
    }
    bool is_tls() const override { return tls_; }
    int socket_number() const override { return 7; }

private:
    bool tls_ = false;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    // The first byte: relay AUTH method, TLS handshake outcome, STARTTLS tried.
    uint8_t mode = data[0];
    SendMailSettings s;
    s.helo_host = "bbs.example.com";
    s.inet_addr = "example.com";
    s.relay_server = "relay.example.net";
    s.relay_username = "user";
    s.relay_password = "secret";
    s.relay_auth_without_tls = true;
    using namespace mail_opt;
    static const uint32_t auth[] = {0, RELAY_AUTH_PLAIN, RELAY_AUTH_LOGIN, RELAY_AUTH_CRAM_MD5};
    s.options = auth[mode & 3];
    ScriptedLink link;
    link.tls_ok = (mode & 4) != 0;
    for (auto& l : fuzz::client_lines(data + 1, size - 1)) link.replies.push_back(std::move(l));

    CaptureLogger log;
    SmtpSession session(link, s, log, "mx.remote.example");
    std::string error;
    if (!session.greet(error)) return 0;
    SessionStart how;
    how.try_tls = (mode & 8) != 0;
    how.auth = (mode & 3) != 0;
    if (session.open(how).result != SessionResult::Sent) return 0;
    SmtpTransaction t;
    t.from = "<sysop@example.com>";
    t.to = {"<alice@remote.example>", "<bob@remote.example>"};
    t.text = "Subject: hi\r\n\r\nHello\r\n.leading dot\r\n";
    t.dsn_mail = "RET=HDRS ENVID=QQ+2B314";                   // RFC 3461 4: sent only if DSN is offered
    t.dsn_rcpt = {"NOTIFY=SUCCESS,DELAY ORCPT=rfc822;alice@remote.example", ""};
    if (session.send(t).usable && session.reset()) (void)session.send(t);
    session.quit();
    return 0;
}
