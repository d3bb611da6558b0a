// POP3 session skeleton: the run sequence, replies, CAPA and log lines in the
// original's shapes (pop3.md sections 3, 13, 14).
#include "pop3/pop3_session.h"

#include "pop3/pop3_version.h"
#include "util/strings.h"

#include <cstdio>
#include <ctime>

namespace sbbs {

Pop3Session::Pop3Session(ConfigPtr cfg, UserDirectory& users, MailStore& store, Logger& log,
                         LoginAttemptLog& attempts, bool implicit_tls)
    : cfg_(std::move(cfg)), users_(users), store_(store), logger_(log), attempts_(attempts),
      implicit_tls_(implicit_tls) {}

void Pop3Session::run(SessionIo& io) {
    io_ = &io;
    prot_ = implicit_tls_ ? "POP3S" : "POP3";
    user_.reset();
    activity_ = true;
    in_transaction_ = false;
    lock_.reset();
    mailbox_ = {};
    if (debug()) {
        log(LogLevel::Debug, "session thread started");
        log_client(LogLevel::Info, "Connection accepted on " + io.local_ip() + " port " +
                                       std::to_string(io.local_port()) + " from port " +
                                       std::to_string(io.peer_port()));
        if (!cfg_->mail.has(mail_opt::NO_HOST_LOOKUP)) log_client(LogLevel::Info, "Hostname: " + host_);
    }
    // POP3-15: on the TLS port the handshake comes before any POP3 output.
    bool ok = !implicit_tls_ || io.is_tls() || io.start_tls().ok();
    if (ok && admit()) {
        greet();
        if (authorize() && open_mailbox()) transact();
    }
    finish();
    io_ = nullptr;
}

void Pop3Session::finish() {
    if (in_transaction_) {
        apply_read_marks();                 // a dropped connection keeps what it retrieved
        const time_t now = std::time(nullptr);
        Status st = record_logout_ ? record_logout_(user_->number, login_time_, now)
                                   : users_.record_logout(user_->number, login_time_, now);
        if (!st) log_user(LogLevel::Error, "!ERROR " + st.error().message + " in logoutuserdat");
    }
    if (activity_) {
        if (user_)
            log_user(LogLevel::Info, "logged-out from port " + std::to_string(io_->peer_port()) + " on " + host_ +
                                         " [" + io_->peer_ip() + "]");
        else
            log_client(LogLevel::Info, "client disconnected from port " + std::to_string(io_->peer_port()) +
                                           " on " + host_);
    }
    lock_.reset();
    if (debug())                                                                      // POP3-114
        log_client(LogLevel::Debug, "Session thread terminated" + (thread_counts_ ? " " + thread_counts_() : ""));
}

std::optional<std::string> Pop3Session::read_command() {
    unsigned timeout = cfg_->mail.max_inactivity_s ? cfg_->mail.max_inactivity_s : 120;
    ReadLine r = io_->read_line(1000, timeout);
    switch (r.status) {
    case ReadStatus::Line: return std::move(r.line);
    case ReadStatus::TooLong:
        // POP3-20: the original cut such lines into pieces read as separate
        // commands; ours answers as soon as the limit is passed and closes,
        // so a line that never ends cannot hold the session (issue #13).
        log(LogLevel::Notice, "!LINE TOO LONG from client");
        reply("-ERR line too long");
        return std::nullopt;
    case ReadStatus::Timeout:
        log(LogLevel::Warning, "!TIMEOUT in sock_recvbyte (" + std::to_string(timeout) +
                                   " seconds):  INACTIVE SOCKET");
        return std::nullopt;
    case ReadStatus::Closed:
    case ReadStatus::Error:
        if (stopping_ && stopping_->load()) {                                        // POP3-110
            log(LogLevel::Warning, "!ABORTING sockreadline");
            return std::nullopt;
        }
        if (r.status == ReadStatus::Error) {
            log(LogLevel::Notice, "!SOCKET ERROR on receive");
            return std::nullopt;
        }
        log(LogLevel::Notice, "Socket closed by peer on receive");
        return std::nullopt;
    }
    return std::nullopt;
}

void Pop3Session::reply(std::string_view text) {
    io_->write(std::string(text) + "\r\n");
    if (cfg_->mail.has(mail_opt::DEBUG_TX)) log(LogLevel::Debug, "TX: " + std::string(text));
}

void Pop3Session::send_capa(bool before_login) {
    // POP3-25 plus, beyond the original, SASL PLAIN (RFC 5034) and the
    // response codes we send ([IN-USE], RFC 2449).
    std::string list = "+OK Capability list follows\r\nTOP\r\nUSER\r\nPIPELINING\r\nUIDL\r\n"
                       "RESP-CODES\r\nSASL PLAIN\r\nIMPLEMENTATION Synchronet POP3 Server " +
                       std::string(pop3::VERSION) + pop3::REVISION + "-" + pop3::PLATFORM + "\r\n";
    if (before_login && !io_->is_tls() && tls_available_) list += "STLS\r\n";
    if (before_login) list += "UTF8\r\n";         // ours: RFC 6856 2, valid before login only
    reply(list + ".");
}

// "SSSS PROT  <parts>" in one string ("%04d %-5s " for the prefix, without
// printf): every retrieved message logs a line at Info.
void Pop3Session::log_parts(LogLevel level, std::initializer_list<std::string_view> parts) {
    if (!logger_.enabled(level)) return;
    std::string line;
    size_t n = 11;
    for (auto p : parts) n += p.size();
    line.reserve(n + prot_.size());
    if (socket_ >= 0 && socket_ <= 9999) {
        char digits[4] = {char('0' + socket_ / 1000), char('0' + socket_ / 100 % 10), char('0' + socket_ / 10 % 10),
                          char('0' + socket_ % 10)};
        line.append(digits, 4);
    } else {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d", socket_);
        line += buf;
    }
    line += ' ';
    line += prot_;
    if (prot_.size() < 5) line.append(5 - prot_.size(), ' ');
    line += ' ';
    for (auto p : parts) line += p;
    logger_.log(level, line);
}

void Pop3Session::log(LogLevel level, const std::string& text) { log_parts(level, {text}); }

void Pop3Session::log_client(LogLevel level, const std::string& text) {
    log_parts(level, {"[", io_->peer_ip(), "] ", text});
}

void Pop3Session::log_user(LogLevel level, const std::string& text) {
    log_parts(level, {"<", user_ ? std::string_view(user_->alias) : std::string_view(), "> ", text});
}

RenderContext Pop3Session::render_context() const {
    RenderContext c;
    c.host_name = cfg_->mail.host_name;
    c.inet_addr = cfg_->msgs.inet_addr;
    c.system_name = cfg_->sys.name;
    c.qwk_id = cfg_->sys.qwk_id;
    c.operator_name = cfg_->sys.operator_name;
    c.data_dir = cfg_->paths.data;
    c.exact_text = exact_text_;
    c.utf8_headers = utf8_;
    return c;
}

} // namespace sbbs
