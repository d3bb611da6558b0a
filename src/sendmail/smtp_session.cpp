// The SMTP client dialogue (see smtp_session.h).
#include "sendmail/smtp_session.h"
#include "sendmail/smtputf8.h"

#include "config/options.h"
#include "sendmail/data_text.h"
#include "sendmail/outbound_batch.h"
#include "sendmail/sasl.h"
#include "util/base64.h"

#include <cctype>
#include <chrono>
#include <cstdio>

namespace sbbs {

namespace {
// SEC-5: more than any real server sends in one reply (RFC 5321 4.5.3.1.5
// allows 512 octets a line; EHLO replies run to a few dozen lines). A peer
// that goes beyond is broken or hostile: the session fails, temporarily.
constexpr size_t kMaxReplyLines = 100;
constexpr size_t kMaxReplyBytes = 65536;

bool starts_with_ci(const std::string& s, const std::string& p) {
    if (s.size() < p.size()) return false;
    for (size_t i = 0; i < p.size(); ++i)
        if (std::tolower(uint8_t(s[i])) != std::tolower(uint8_t(p[i]))) return false;
    return true;
}
} // namespace

SmtpSession::SmtpSession(SmtpLink& link, const SendMailSettings& s, Logger& log, std::string server)
    : link_(link), s_(s), log_(log), server_(std::move(server)) {
    restart_deadline(0);
}

// Ours (SEC-5): each read and write has MaxInactivity, but a peer answering
// just in time could still hold a worker for hours; so the greeting up to
// AUTH, and then each transaction, must end within 4 x MaxInactivity (room
// for the slowest legitimate step, the final reply's two waits, SEND-61)
// plus the text's size at 4 KiB/s (32 kbit/s, slower than any working
// server-to-server path).
void SmtpSession::restart_deadline(size_t text_bytes) {
    using namespace std::chrono;
    deadline_ = steady_clock::now() + seconds(4 * uint64_t(s_.max_inactivity_s)) + seconds(text_bytes / 4096);
}

bool SmtpSession::past_deadline() {
    if (std::chrono::steady_clock::now() < deadline_) return false;
    logf(LogLevel::Notice, "!SESSION TIME LIMIT reached (" + std::to_string(4 * uint64_t(s_.max_inactivity_s)) +
                               " s + 1 s per 4 KiB of text): giving up on " + server_);
    return true;
}

std::string SmtpSession::prefix() const {
    char sock[16];
    std::snprintf(sock, sizeof sock, "%04d", link_.socket_number());
    return std::string(sock) + (link_.is_tls() ? " SEND/TLS" : " SEND");
}

void SmtpSession::logf(LogLevel level, const std::string& text) {
    if (log_.enabled(level)) log_.log(level, prefix() + " " + text);
}

bool SmtpSession::put(const std::string& line, const std::string& shown) {
    if (s_.has(mail_opt::DEBUG_TX)) logf(LogLevel::Debug, "TX: " + (shown.empty() ? line : shown));
    return link_.write(line + "\r\n");
}

// SEND-60: continuation lines skipped, the final one compared by prefix.
// The whole reply must come within `waits` times MaxInactivity (SEND-61) and
// within the SEC-5 bounds, so a peer trickling lines cannot hold us.
SmtpSession::Reply SmtpSession::expect(const std::string& code, unsigned waits) {
    using namespace std::chrono;
    Reply r;
    auto deadline = std::min(steady_clock::now() + seconds(s_.max_inactivity_s) * waits, deadline_);
    size_t bytes = 0;
    for (;;) {
        if (past_deadline()) return r;
        auto left = ceil<seconds>(deadline - steady_clock::now()).count();
        if (left <= 0) return r;
        auto rl = link_.read_line(unsigned(left));
        if (rl.status == ReadStatus::Timeout) continue;
        if (rl.status != ReadStatus::Line) return r;
        bytes += rl.line.size() + 2;
        if (r.lines.size() >= kMaxReplyLines || bytes > kMaxReplyBytes) {
            logf(LogLevel::Notice, "!REPLY TOO LONG (over " + std::to_string(kMaxReplyLines) + " lines or " +
                                       std::to_string(kMaxReplyBytes) + " bytes), Expected '" + code + "'");
            r.lines.clear();
            r.overflow = true;
            return r;
        }
        if (s_.has(mail_opt::DEBUG_RX_RSP)) logf(LogLevel::Debug, "RX: " + rl.line);
        r.lines.push_back(rl.line);
        if (rl.line.size() >= 4 && rl.line[3] == '-') continue;
        r.line = rl.line;
        break;
    }
    r.ok = starts_with_ci(r.line, code);
    if (!r.ok) {
        if (r.line.empty()) logf(LogLevel::Notice, "!RECEIVED BLANK RESPONSE, Expected '" + code + "'");
        else logf(LogLevel::Notice, "!INVALID RESPONSE: '" + r.line + "' Expected: '" + code + "'");
    }
    return r;
}

SessionOutcome SmtpSession::fail(const Reply& r, const std::string& expected, bool may_be_permanent) {
    SessionOutcome o;
    o.result = may_be_permanent && !r.line.empty() && r.line[0] == '5' ? SessionResult::PermFail
                                                                         : SessionResult::TempFail;
    o.error = server_ + " replied with:\r\n\"" + r.line + "\"\r\ninstead of the expected reply:\r\n\"" + expected +
              " ...\"";
    o.reply = r.line;
    o.remote = server_;
    return o;
}

bool SmtpSession::greet(std::string& error) {
    auto r = expect("220");
    if (r.ok) return true;
    error = server_ + " replied with:\r\n\"" + r.line + "\"\r\ninstead of the expected reply:\r\n\"220 ...\"";
    logf(LogLevel::Info, server_ + " replied with: \"" + r.line + "\" instead of the expected reply: \"220 ...\"");
    return false;
}

SessionOutcome SmtpSession::hello(const SessionStart& t) {
    put("EHLO " + s_.helo_host);
    auto r = expect("250");
    if (!r.ok) {
        // SEND-48: no HELO fall-back when AUTH to the relay is required
        // (nor after an endless reply: the peer is not speaking SMTP).
        if (t.auth || r.overflow) return fail(r, "250");
        if (t.requiretls) return refuse_requiretls(t, "5.7.30", "refused EHLO (\"" + r.line + "\")", !r.line.empty());
        peer_ = {};
        put("HELO " + s_.helo_host);
        auto h = expect("250");
        if (!h.ok) return fail(h, "250");
        return {SessionResult::Sent, {}};
    }
    peer_ = parse_ehlo(r.lines);
    bool offers_tls = false;
    for (auto& l : r.lines)
        if (l.rfind("250-STARTTLS", 0) == 0 || l.rfind("250 STARTTLS", 0) == 0) offers_tls = true;
    if (!offers_tls || !t.try_tls) {
        // RFC 8689 4.2.1 (as Postfix: no STARTTLS, so no REQUIRETLS either).
        if (t.requiretls) return refuse_requiretls(t, "5.7.30", "offers no STARTTLS", true);
        return {SessionResult::Sent, {}};
    }
    logf(LogLevel::Debug, "Starting TLS session");
    put("STARTTLS");
    if (auto go = expect("220"); !go.ok) {
        if (t.requiretls) return refuse_requiretls(t, "5.7.10", "refused STARTTLS (\"" + go.line + "\")", true);
        return {SessionResult::Sent, {}};   // SEND-50: stay plain
    }
    if (Status st = link_.start_tls(s_.max_inactivity_s, t.tls); !st) {
        logf(LogLevel::Warning, "!TLS ERROR: " + st.error().message);
        // RFC 8689 4.2.1: an untrusted or misnamed certificate is X.7.10 too (as Postfix).
        if (t.requiretls) return refuse_requiretls(t, "5.7.10", "failed TLS: " + st.error().message, false);
        return {SessionResult::TlsFailed, st.error().message};
    }
    put("EHLO " + s_.helo_host);
    auto again = expect("250");
    if (!again.ok) {
        if (t.requiretls) return refuse_requiretls(t, "5.7.10", "did not answer EHLO inside TLS", false);
        return {SessionResult::TlsFailed, "EHLO after STARTTLS failed"};
    }
    peer_ = parse_ehlo(again.lines);   // RFC 3207 section 4.2: only what is offered inside TLS counts
    // SEND-51: this one line keeps the plain label.
    char sock[16];
    std::snprintf(sock, sizeof sock, "%04d", link_.socket_number());
    if (log_.enabled(LogLevel::Info)) log_.log(LogLevel::Info, std::string(sock) + " SEND TLS Session started successfully");
    if (t.requiretls) return require_tls_peer(t);
    return {SessionResult::Sent, {}};
}

SessionOutcome SmtpSession::authenticate() {
    const auto& user = s_.relay_username;
    const auto& pass = s_.relay_password;
    // Ours (SEND-58): with several methods set, the strongest one is used.
    if (s_.has(mail_opt::RELAY_AUTH_CRAM_MD5)) {
        put("AUTH CRAM-MD5");
        auto c = expect("334");
        if (!c.ok) return fail(c, "334 Username/Challenge");
        auto sp = c.line.find(' ');
        std::string challenge = sp == std::string::npos ? std::string() : c.line.substr(sp + 1);
        put(sasl::cram_md5_response(user, pass, challenge), "<CRAM-MD5 response>");
    } else if (s_.has(mail_opt::RELAY_AUTH_LOGIN)) {
        put("AUTH LOGIN");
        auto u = expect("334");
        if (!u.ok) return fail(u, "334 Username/Challenge");
        put(base64_encode(user), "<username>");
        auto p = expect("334");
        if (!p.ok) return fail(p, "334 Password");
        put(base64_encode(pass), "<password>");
    } else {
        put("AUTH PLAIN " + sasl::plain_response(user, pass), "AUTH PLAIN <credentials>");
    }
    auto done = expect("235");
    if (!done.ok) return fail(done, "235");
    return {SessionResult::Sent, {}};
}

bool TransactionOutcome::any_sent() const {
    for (auto& r : rcpt)
        if (r.result == SessionResult::Sent) return true;
    return false;
}

// RFC 9422 section 5: more recipients than the server's RCPTMAX go in
// several transactions on this connection, RSET between them; what cannot
// be sent here (the connection lost, MAILMAX reached) is a temporary
// failure, tried again later.
TransactionOutcome SmtpSession::send(const SmtpTransaction& t) {
    TransactionOutcome out = send_slices(t);
    for (auto& o : out.rcpt) o.peer_dsn = peer_.dsn;
    return out;
}

// RFC 3461 5.2: toward a peer without DSN none of the parameters goes (it
// could refuse them); the stored text is already xtext, ASCII only.
std::string SmtpSession::with_dsn(const std::string& arg, const std::string& params) const {
    return peer_.dsn && !params.empty() ? arg + " " + params : arg;
}

TransactionOutcome SmtpSession::send_slices(const SmtpTransaction& t) {
    if (!may_carry(t)) return refuse_transaction(t);   // RFC 8689: never over a session not checked for it
    // RFC 6531 3.4: UTF-8 addresses or header fields only to a peer that
    // offers SMTPUTF8; an IDNA domain alone goes to any peer as A-labels.
    smtputf8::Plan plan = smtputf8::plan(t.from, t.to, t.text);
    if (plan.needs_smtputf8 && !peer_.smtputf8) return refuse_utf8(t);
    std::string from = with_dsn(plan.needs_smtputf8 ? t.from + " SMTPUTF8" : plan.from, t.dsn_mail);
    std::vector<std::string> to = plan.needs_smtputf8 ? t.to : plan.to;
    for (size_t i = 0; i < to.size() && i < t.dsn_rcpt.size(); ++i) to[i] = with_dsn(to[i], t.dsn_rcpt[i]);
    if (t.requiretls) from += " REQUIRETLS";   // RFC 8689 4.2.1: only on a session may_carry() passed
    auto slices = rcpt_slices(t.to.size(), peer_.rcpt_max);
    if (slices.size() <= 1) return transact(from, to, t.text);
    TransactionOutcome out;
    out.rcpt.resize(t.to.size());
    std::span<const std::string> all(to);
    for (size_t i = 0; i < slices.size(); ++i) {
        const RcptSlice& sl = slices[i];
        if (i > 0 && !(out.usable && reset())) {
            SessionOutcome o{SessionResult::TempFail,
                             mail_max_reached() ? server_ + " takes " + std::to_string(peer_.mail_max) +
                                                      " transactions per connection (LIMITS MAILMAX)"
                                                : server_ + " could not take a further transaction"};
            for (size_t k = sl.begin; k < t.to.size(); ++k) out.rcpt[k] = o;
            out.usable = false;
            return out;
        }
        logf(LogLevel::Debug, "recipients " + std::to_string(sl.begin + 1) + " to " + std::to_string(sl.end) +
                                  " of " + std::to_string(t.to.size()) + " (server's LIMITS RCPTMAX=" +
                                  std::to_string(peer_.rcpt_max) + ")");
        TransactionOutcome part = transact(from, all.subspan(sl.begin, sl.end - sl.begin), t.text);
        if (i == 0 && part.closed_at_mail) {   // nothing sent yet: the whole transaction waits for a new connection
            out.rcpt.assign(t.to.size(), part.rcpt.front());
            out.usable = part.usable;
            out.closed_at_mail = true;
            return out;
        }
        std::copy(part.rcpt.begin(), part.rcpt.end(), out.rcpt.begin() + std::ptrdiff_t(sl.begin));
        out.usable = part.usable;
    }
    return out;
}

TransactionOutcome SmtpSession::transact(const std::string& from, std::span<const std::string> to,
                                         std::string_view text) {
    TransactionOutcome out;
    out.rcpt.resize(to.size());
    restart_deadline(text.size());
    auto fail_all = [&](const Reply& r, const std::string& expected, bool only_accepted) {
        for (auto& o : out.rcpt)
            if (!only_accepted || o.result == SessionResult::Sent) o = fail(r, expected);
        out.usable = !r.line.empty();
        return out;
    };
    put("MAIL FROM:" + from);
    ++transactions_;
    if (auto r = expect("250"); !r.ok) {
        out.closed_at_mail = r.line.empty() || r.line.starts_with("421");
        return fail_all(r, "250", false);
    }
    bool accepted = false;
    for (size_t i = 0; i < to.size(); ++i) {
        put("RCPT TO:" + to[i]);
        auto r = expect("25");
        if (r.ok) {
            out.rcpt[i].result = SessionResult::Sent;   // accepted so far
            accepted = true;
            continue;
        }
        out.rcpt[i] = fail(r, "25*");
        if (r.line.empty()) {   // hung up or silent: the rest cannot be tried here
            for (size_t j = i + 1; j < to.size(); ++j) out.rcpt[j] = out.rcpt[i];
            for (size_t j = 0; j < i; ++j)   // a refusal already given stands (5xx bounces)
                if (out.rcpt[j].result == SessionResult::Sent) out.rcpt[j] = out.rcpt[i];
            return out;
        }
    }
    out.usable = true;
    if (!accepted) return out;   // nobody to send to: no DATA
    if (!peer_.chunking) {
        put("DATA");
        if (auto r = expect("354"); !r.ok) return fail_all(r, "354", true);
    }
    size_t bytes = text.size(), lines = 0;
    // SEC-5: the peer stopped taking the text (or took too long); no reply can follow.
    if (!send_text(text, lines)) {
        logf(LogLevel::Notice, "!ERROR sending message text (" + std::to_string(lines) + " lines sent)");
        return fail_all(Reply{}, "250", true);
    }
    logf(LogLevel::Debug, "send of message text (" + std::to_string(bytes) + " bytes, " + std::to_string(lines) +
                              " lines) complete, waiting for acknowledgment (250)");
    auto r = expect("250", 2);   // SEND-61: one more wait on time-out
    if (!r.ok) fail_all(r, "250", true);
    for (auto& o : out.rcpt) {
        o.bytes = bytes;
        o.lines = lines;
    }
    return out;
}

// DATA's text dot-stuffed and ended by ".", or (RFC 3030) the same lines
// unstuffed as one chunk, "BDAT <size> LAST": one reply either way.
bool SmtpSession::send_text(std::string_view text, size_t& lines) {
    bool chunk = peer_.chunking;
    logf(LogLevel::Debug, "sending message text (" + std::to_string(text.size()) + " bytes" +
                              (chunk ? ", one BDAT chunk" : "") + ") begin");
    auto write = [&](std::string_view block) { return !past_deadline() && link_.write(block); };
    std::function<void(std::string_view)> shown;   // SEND-65: each line as sent, dot-stuffed for DATA
    if (s_.has(mail_opt::DEBUG_TX))
        shown = [&](std::string_view l) {
            logf(LogLevel::Debug, std::string(!chunk && l.starts_with('.') ? "TX: ." : "TX: ").append(l));
        };
    if (!chunk) return write_data_text(text, write, lines, shown) && put(".");
    return put("BDAT " + std::to_string(crlf_size(text)) + " LAST") && write_chunk_text(text, write, lines, shown);
}

SessionOutcome SmtpSession::open(const SessionStart& how) {
    auto h = hello(how);
    if (h.result != SessionResult::Sent) return h;
    if (!how.auth) return h;
    // Ours (SEC-6): the relay password never goes out in clear unless the
    // sysop says so; the message waits for a later try instead.
    if (!link_.is_tls() && !s_.relay_auth_without_tls) {
        logf(LogLevel::Warning, "!NOT sending AUTH to " + server_ +
                                    " without TLS (no usable STARTTLS; [Mail] RelayAuthWithoutTLS = false)");
        return {SessionResult::TempFail, "Relay server " + server_ +
                                             " offered no usable TLS: credentials not sent (RelayAuthWithoutTLS)"};
    }
    return authenticate();
}

bool SmtpSession::reset() {
    if (mail_max_reached()) {   // RFC 9422: the next transaction goes on a new connection
        logf(LogLevel::Debug, "server's LIMITS MAILMAX=" + std::to_string(peer_.mail_max) + " reached");
        quit();
        return false;
    }
    restart_deadline(0);   // a transaction that ended in time leaves RSET its own time
    put("RSET");
    return expect("250").ok;
}

void SmtpSession::quit() {
    put("QUIT");
    auto r = link_.read_line(s_.max_inactivity_s < 10 ? s_.max_inactivity_s : 10);
    (void)r;
}

} // namespace sbbs
