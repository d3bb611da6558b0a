// Session life cycle: greeting, line input with timeouts, reply buffering
// compatible with PIPELINING, log line shapes (SMTP-251) and the command
// dispatch order of SMTP-45.
#include "smtp/session.h"

#include "dns/client_host.h"
#include "dns/resolver.h"
#include "smtp/version.h"
#include "util/mail_metrics.h"
#include "util/platform_file.h"
#include "util/strings.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

namespace sbbs::smtp {

SmtpSession::SmtpSession(ConfigPtr cfg, Listener listener, UserDirectory& users, MailStore& store,
                         Logger& log, const FilterChain& filters, SessionExtras extras)
    : cfg_(std::move(cfg)), listener_(listener), users_(users), store_(store), logger_(log),
      filters_(filters), extras_(extras) {}

const std::string& SmtpSession::host() const { return cfg_->mail.host_name; }

unsigned SmtpSession::inactivity() const {
    return cfg_->mail.max_inactivity_s ? cfg_->mail.max_inactivity_s : 120;   // SMTP-8
}

void SmtpSession::log(LogLevel lvl, const std::string& text) const {
    if (!logger_.enabled(lvl)) return;
    char prefix[32];
    int n = std::snprintf(prefix, sizeof prefix, "%04u %-5s ", extras_.session_number % 10000, protocol_.c_str());
    std::string line;
    line.reserve(sizeof prefix + text.size());
    line.append(prefix, size_t(std::max(0, std::min(n, int(sizeof prefix) - 1))));
    line += text;
    logger_.log(lvl, line);
}

// Nothing is built for a level that is not logged (Debug at the usual Info).
void SmtpSession::log_client(LogLevel lvl, const std::string& text) {
    if (!logger_.enabled(lvl)) return;
    std::string line;
    line.reserve(client_ip_.size() + text.size() + 4);
    if (authenticated()) line += auth_alias_;
    else line.append("[").append(client_ip_).append("]");
    line.append(" ").append(text);
    log(lvl, line);
}

SessionFacts SmtpSession::facts() {
    SessionFacts f;
    f.client_ip = client_ip_;
    f.client_host = client_host_;
    f.server_ip = io_ ? io_->local_ip() : std::string();
    f.client_id = authenticated() ? auth_alias_ : "[" + client_ip_ + "]";
    f.helo_name = helo_name_;
    f.protocol = protocol_;
    f.submission = is_submission(listener_);
    f.auth_user = auth_user_;
    f.reverse_path = tx_.reverse_path;
    f.last_rcpt = tx_.last_rcpt;
    f.spam_bait = tx_.spam_bait;
    f.telegram = tx_.kind != MailKind::Mail;
    f.dnsbl_listed = dnsbl_.listed;
    f.dnsbl = &dnsbl_;
    f.log = [this](LogLevel lvl, const std::string& text) { log(lvl, text); };
    return f;
}

void SmtpSession::reply_raw(const std::string& line) {
    if (cfg_->mail.has(mail_opt::DEBUG_TX)) log(LogLevel::Debug, "TX: " + line);   // SMTP-253
    out_ += line;
    out_ += "\r\n";
}

void SmtpSession::reply(const Reply& r) {
    // issue #17: 550..554 refuse a recipient or the message (syntax errors are not counted).
    if (r.code >= 550 && r.code <= 554) metrics::count(metrics::mail_metrics().refused);
    reply_raw(r.line());
}

void SmtpSession::flush() {
    if (out_.empty() || !io_) return;
    io_->write(out_);
    out_.clear();
}

SmtpSession::Flow SmtpSession::apply(const Verdict& v) {
    reply(v.reply);
    return v.close ? Flow::Close : Flow::Continue;
}

void SmtpSession::spy_if_listed(std::string_view subject, std::string_view subject2) {
    if (spy_ || !extras_.spy_list || !extras_.spy_list->contains(subject, subject2)) return;
    auto spy = SpyLog::open(cfg_->paths.logs, protocol_);
    if (!spy) {
        log_client(LogLevel::Error, "!ERROR opening the spy log: " + spy.error().message);
        return;
    }
    spy_ = std::move(*spy);
}

// Replies stay buffered while the client has already sent more (RFC 2920):
// they go out together when the server would otherwise wait for input, or
// once they pass 64 KiB, so a client that pipelines and never reads cannot
// grow the buffer without bound.
ReadLine SmtpSession::read(size_t max_len) {
    if (!io_->input_pending() || out_.size() > kMaxBufferedReplies) flush();
    ReadLine r = io_->read_line(max_len, inactivity());
    if (r.status == ReadStatus::Line && spy_) spy_->write(trim_right(r.line));       // SMTP-34
    if (r.status == ReadStatus::Timeout) {
        log_client(LogLevel::Warning, "!TIMEOUT in sock_recvbyte (" + std::to_string(inactivity()) +
                                          " seconds):  INACTIVE SOCKET");               // SMTP-39
        reply({421, "4.4.2", host() + " closing connection"});                        // SMTP-262
        flush();
    }
    if (r.status == ReadStatus::Line && dnsbl_.listed && !authenticated() &&          // SMTP-41, SMTP-248
        cfg_->mail.has(mail_opt::DNSBL_THROTTLE))
        std::this_thread::sleep_for(std::chrono::seconds(1));
    return r;
}

void SmtpSession::reset_transaction() {
    tx_ = Transaction{};
    if (dnsbl_.via_received) dnsbl_ = {};   // SMTP-239: a Received: listing is for its message only
    if (phase_ != Phase::Greeted) phase_ = Phase::Ready;
}

void SmtpSession::greet() {
    reply({220, "", host() + " Synchronet " + protocol_ + " Server " + kVersion + "-" + kPlatform +
                        " Ready"});                                                   // SMTP-35
}

void SmtpSession::run(SessionIo& io) {
    io_ = &io;
    connected_ = time(nullptr);
    client_ip_ = io.peer_ip();
    log_client(LogLevel::Info, "Connection accepted on " + io.local_ip() + " port " +
                                   std::to_string(io.local_port()) + " from port " +
                                   std::to_string(io.peer_port()));                   // SMTP-21
    if (!cfg_->mail.has(mail_opt::NO_HOST_LOOKUP) && extras_.resolver) {            // SMTP-22
        client_host_ = client_host_name(extras_.resolver, client_ip_);
        log_client(LogLevel::Info, "Hostname: " + client_host_);
    }
    if (listener_ == Listener::TlsSubmission && !io.is_tls()) {                       // SMTP-23
        if (!io.start_tls().ok()) return;
    }
    if (io.is_tls()) protocol_ = "SMTPS";                                            // SMTP-13
    {
        std::random_device rd;                                                        // SMTP-32
        char id[64];
        std::snprintf(id, sizeof id, "%x%x%lx", rd(), extras_.session_number, (unsigned long)connected_);
        session_id_ = id;
        log_client(LogLevel::Debug, "Session ID=" + session_id_);
    }
    helo_name_ = client_host_;                                                        // SMTP-63
    spy_if_listed(client_ip_, client_host_);                                          // SMTP-34

    // SMTP-24, SMTP-26: the ban comes first and closes without a reply.
    if (extras_.login_attempts && client_ip_ != io.local_ip())
        if (auto ban = extras_.login_attempts->temp_ban(client_ip_, client_host_)) {
            log_client(LogLevel::Notice, *ban);
            return;
        }
    Verdict v = filters_.consult([&](SmtpFilter& f) { return f.on_connect(facts()); });
    if (v.decided()) { reply(v.reply); flush(); return; }

    if (extras_.login_attempts && cfg_->mail.login_attempt.throttle_ms) {            // SMTP-33
        unsigned n = extras_.login_attempts->failures(client_ip_);
        if (n > 1)
            std::this_thread::sleep_for(std::chrono::milliseconds(uint64_t(n) * cfg_->mail.login_attempt.throttle_ms));
    }
    greet();
    while (!closing_) {
        ReadLine in = read(510);
        if (in.status != ReadStatus::Line && in.status != ReadStatus::TooLong) break;
        if (request_limited()) break;                                                 // SMTP-45
        if (in.status == ReadStatus::TooLong) {                                       // SMTP-42
            reply({500, "5.5.2", "Line too long (command)"});
            break;
        }
        if (in.status != ReadStatus::Line) break;
        if (file_exists(cfg_->paths.data + "mail.lock")) {                            // SMTP-40
            reply({421, "4.3.2", "System Error: mail base locked, try again later"});
            break;
        }
        if (dispatch(std::string(trim_right(in.line))) == Flow::Close) break;   // SMTP-38
    }
    flush();
    if (logout_due_)                                                                  // SMTP-254
        if (auto st = users_.record_logout(logout_due_->user, logout_due_->at, time(nullptr)); !st)
            log_client(LogLevel::Error, "!ERROR " + st.error().message + " in logoutuserdat");
    log_client(LogLevel::Info, "Session thread terminated" +                          // SMTP-254
                                   (extras_.thread_counts ? " " + extras_.thread_counts() : std::string()));
}

// SMTP-52: every command line counts; over the limit the session ends.
bool SmtpSession::request_limited() {
    auto limited = extras_.request_gate ? extras_.request_gate(client_ip_, client_host_) : std::nullopt;
    if (!limited) return false;
    log_client(LogLevel::Notice, "Too many requests per rate limit (" + std::to_string(limited->max) + " over " +
                                     std::to_string(limited->period_s) + "s) for " + limited->key);
    if (limited->blocked) log(LogLevel::Notice, *limited->blocked);                  // SMTP-54
    reply({421, "4.7.0", "too many requests, try again later"});
    return true;
}

static std::string strip_controls(const std::string& s) {                            // SMTP-43
    std::string out;
    for (unsigned char c : s)
        if (c >= 0x20 && c != 0x7f) out += char(c);
    return out;
}

static bool verb_is(const std::string& line, std::string_view verb) { return iequals(line, verb); }

SmtpSession::Flow SmtpSession::dispatch(const std::string& raw) {
    std::string line = strip_controls(raw);
    // ours (SMTP-84): an initial SASL response is a credential; log the verb only.
    bool auth_ir = istarts_with(line, "AUTH ") && line.find(' ', 5) != std::string::npos;
    if (logger_.enabled(LogLevel::Debug))
        log_client(LogLevel::Debug, "RX: " + (auth_ir ? line.substr(0, line.find(' ', 5)) + " ********" : line));
    std::string_view head = std::string_view(line).substr(0, 4);
    if (iequals(head, "HELO")) return cmd_helo(line, false);                          // SMTP-44
    if (iequals(head, "EHLO")) return cmd_helo(line, true);
    if (istarts_with(line, "AUTH")) return cmd_auth(line);                            // SMTP-47
    if (verb_is(line, "QUIT")) return cmd_quit();
    if (verb_is(line, "NOOP")) return cmd_noop();
    if (!helo_done_) {                                                                // SMTP-46
        log_client(LogLevel::Notice, "!MISSING 'HELO' command (Received: '" + line + "')");
        reply(bad_sequence());
        return Flow::Continue;
    }
    if (verb_is(line, "TURN")) return cmd_turn();
    if (verb_is(line, "RSET")) return cmd_rset();
    if (istarts_with(line, "MAIL FROM:")) return cmd_mail(line, MailKind::Mail);
    if (istarts_with(line, "SEND FROM:")) return cmd_mail(line, MailKind::Send);
    if (istarts_with(line, "SOML FROM:")) return cmd_mail(line, MailKind::Soml);
    if (istarts_with(line, "SAML FROM:")) return cmd_mail(line, MailKind::Saml);
    if (istarts_with(line, "RCPT TO:")) return cmd_rcpt(line);
    if (iequals(head, "DATA")) return cmd_data();
    if (iequals(head, "BDAT") && (line.size() == 4 || line[4] == ' ')) return cmd_bdat(line);   // RFC 3030
    if (verb_is(line, "STARTTLS") && !io_->is_tls()) return cmd_starttls();           // SMTP-86
    if (iequals(head, "VRFY") && (line.size() == 4 || line[4] == ' ')) return cmd_vrfy();
    if (iequals(head, "EXPN") && (line.size() == 4 || line[4] == ' ')) return cmd_expn();
    if (iequals(head, "HELP") && (line.size() == 4 || line[4] == ' ')) return cmd_help();
    return cmd_unknown(line);
}

} // namespace sbbs::smtp
