// POP3 start-up and AUTHORIZATION state: bans, throttling, greeting, USER/PASS,
// APOP, AUTH PLAIN, CAPA and STLS (pop3.md sections 3-6).
#include "pop3/pop3_session.h"

#include "pop3/apop.h"
#include "log/duration_text.h"
#include "pop3/pop3_version.h"
#include "pop3/sasl_plain.h"
#include "userbase/login_auth.h"
#include "util/strings.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>
#include <thread>

namespace sbbs {

namespace {
// The argument after a command word, leading white space skipped.
std::string after_word(const std::string& line, size_t word_len) {
    size_t p = std::min(word_len, line.size());
    while (p < line.size() && (line[p] == ' ' || line[p] == '\t')) ++p;
    return line.substr(p);
}

void pause_ms(uint32_t ms) {
    if (ms) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}
} // namespace

// POP3-16: the temporary ban, ip.can, then host.can, unless exempt.
bool Pop3Session::admit() {
    const std::string ip = io_->peer_ip();
    if (lists_ && lists_->exempt.contains(ip, host_)) return true;
    if (ip != io_->local_ip()) {          // the server's own address is never banned
        if (auto ban = attempts_.banned(ip)) {
            log_client(LogLevel::Notice, "!TEMPORARY BAN (" + std::to_string(ban->attempts) +
                                             " login attempts, last: " + ban->last_user +
                                             ") - remaining: " + duration_words(ban->remaining_s));
            reply("-ERR Access denied.");
            return false;
        }
    }
    if (lists_) {
        if (auto e = lists_->ip_can.find(ip)) {
            if (!e->quiet())                                                        // POP3-16
                log_client(LogLevel::Notice, "!CLIENT BLOCKED in " + lists_->ip_can.path() + " " + entry_details(*e));
            reply("-ERR Access denied.");
            return false;
        }
        if (auto e = lists_->host_can.find(host_)) {
            if (!e->quiet())
                log_client(LogLevel::Notice,
                           "!CLIENT BLOCKED in " + lists_->host_can.path() + ": " + host_ + " " + entry_details(*e));
            reply("-ERR Access denied.");
            return false;
        }
    }
    uint32_t throttle = cfg_->mail.login_attempt.throttle_ms;
    if (unsigned n = throttle ? attempts_.attempts(ip) : 0; n > 1) {
        log_client(LogLevel::Debug, "Throttling suspicious connection (" + std::to_string(n) + " login attempts)");
        pause_ms(n * throttle);
    }
    return true;
}

void Pop3Session::greet() {
    std::random_device rd;
    const std::string& host = cfg_->mail.host_name.empty() ? cfg_->msgs.inet_addr : cfg_->mail.host_name;
    timestamp_ = pop3::apop_timestamp(rd(), uint32_t(socket_), uint64_t(std::time(nullptr)),
                                      uint64_t(std::clock()), host);
    reply("+OK Synchronet " + prot_ + " Server " + pop3::VERSION + pop3::REVISION + "-" + pop3::PLATFORM +
          " Ready " + timestamp_);
}

bool Pop3Session::authorize() {
    for (int tries = 5; tries > 0;) {
        auto line = read_command();
        if (!line || line->empty()) return false;           // POP3-23
        if (istarts_with(*line, "USER ")) {
            std::string name = after_word(*line, 5);
            reply("+OK");
            auto pass = read_command();
            if (!pass || !istarts_with(*pass, "PASS ")) {
                if (pass && pass->empty()) log(LogLevel::Notice, "!RECEIVED BLANK RESPONSE, Expected 'PASS '");
                else if (pass) log(LogLevel::Notice, "!INVALID RESPONSE: '" + *pass + "' Expected: 'PASS '");
                if (pass) reply("-ERR PASS command expected");
                return false;
            }
            return authenticate(Auth::UserPass, name, after_word(*pass, 5));
        }
        if (istarts_with(*line, "APOP ")) {
            std::string arg = after_word(*line, 5);
            size_t sp = arg.rfind(' ');
            if (sp == std::string::npos) return authenticate(Auth::Apop, arg, arg);
            return authenticate(Auth::Apop, arg.substr(0, sp), arg.substr(sp + 1));
        }
        if (iequals(*line, "CAPA")) { send_capa(true); continue; }
        if (iequals(*line, "UTF8")) { cmd_utf8(); continue; }
        if (iequals(*line, "STLS")) {
            if (io_->is_tls()) { reply("-ERR TLS already active"); --tries; continue; }   // RFC 2595 4
            if (!tls_available_) { reply("-ERR STLS command not supported"); --tries; continue; }
            if (!start_tls()) return false;
            continue;
        }
        if (iequals(*line, "AUTH") || istarts_with(*line, "AUTH ")) {
            std::string arg = after_word(*line, 4);
            if (arg.empty()) { reply("+OK\r\nPLAIN\r\n."); continue; }
            size_t sp = arg.find(' ');
            std::string mech = arg.substr(0, sp);
            if (!iequals(mech, "PLAIN")) { reply("-ERR unsupported authentication mechanism"); --tries; continue; }
            std::string response = sp == std::string::npos ? "" : after_word(arg, sp);
            if (response.empty()) {
                reply("+ ");
                auto r = read_command();
                if (!r) return false;
                response = *r;
            }
            if (response == "*") { reply("-ERR authentication cancelled"); --tries; continue; }   // RFC 5034 4
            auto creds = pop3::decode_plain(response == "=" ? "" : response);
            if (!creds) { reply("-ERR invalid SASL PLAIN response"); --tries; continue; }
            if (!creds->authzid.empty() && creds->authzid != creds->authcid)
                return refuse_login(creds->authcid, creds->password, true);
            return authenticate(Auth::Plain, creds->authcid, creds->password);
        }
        if (iequals(*line, "QUIT")) { reply("+OK"); return false; }   // RFC 1939 allows it here
        reply("-ERR USER, APOP, CAPA, or STLS command expected");
        --tries;
    }
    return false;                       // the fifth bad command closes the session (POP3-22)
}

bool Pop3Session::start_tls() {
    reply("+OK Begin TLS negotiation");
    if (!io_->start_tls()) return false;    // POP3-26: any TLS failure ends the session silently
    prot_ = "POP3S";
    return true;
}

bool Pop3Session::authenticate(Auth method, const std::string& id, const std::string& secret) {
    LoginId lid = split_nospam(id);
    no_spam_ = lid.nospam;
    Credentials c;
    c.login_id = lid.id;
    c.password = secret;
    c.method = method == Auth::Apop ? AuthMethod::Digest
             : method == Auth::Plain ? AuthMethod::SmtpPlain   // SASL PLAIN: no empty password
                                     : AuthMethod::Pop3Pass;
    c.digest_matches = [&](const std::string& shared) { return pop3::md5_hex(timestamp_ + shared) == secret; };
    AuthResult r = sbbs::authenticate(*cfg_, users_, c);
    const std::string& name = lid.id;             // passwords are never logged, whatever SYS_ECHO_PW says
    if (r.outcome != AuthOutcome::UnknownUser && r.outcome != AuthOutcome::ReadError) user_ = r.user;
    switch (r.outcome) {
    case AuthOutcome::UnknownUser:
        log_client(LogLevel::Notice, "!UNKNOWN USER: '" + name + "'");
        return refuse_login(name, secret, true);
    case AuthOutcome::ReadError:
        log_client(LogLevel::Error, "!ERROR " + r.detail + " getting data on user (" + name + ")");
        return false;
    case AuthOutcome::Unusable:
        log_client(LogLevel::Notice, "!DELETED or INACTIVE user #" + std::to_string(r.user.number) + " (" + name + ")");
        return refuse_login(name, secret, false);
    case AuthOutcome::EmptyPassword:
    case AuthOutcome::BadPassword:
        if (method == Auth::Apop) log_client(LogLevel::Notice, "!FAILED APOP authentication: " + name);
        else log_client(LogLevel::Notice, "<" + name + "> !FAILED Password attempt");
        return refuse_login(name, secret, true);
    case AuthOutcome::Requirements:
        log_client(LogLevel::Notice, "<" + name + "> !Insufficient server access: " + r.detail);
        return refuse_login(name, "", true);
    case AuthOutcome::Ok: break;
    }
    const std::string ip = io_->peer_ip();
    attempts_.record_success(ip);                 // POP3-41: the password is never empty (SEC-4)
    login_time_ = std::time(nullptr);
    if (auto st = users_.record_login(r.user.number, {ip, host_, "", login_time_}); !st)
        log_user(LogLevel::Error, "!ERROR " + st.error().message + " saving login data");
    if (debug())
        log_client(LogLevel::Info, "<" + r.user.alias + "> logged-in " + (method == Auth::Apop ? "via APOP" : ""));
    if (on_login_) on_login_();
    activity_ = false;
    return true;
}

bool Pop3Session::refuse_login(const std::string& name, const std::string& tried, bool count) {
    if (count) {
        auto f = attempts_.record_failure({io_->peer_ip(), prot_, name, tried, host_, io_->peer_port()});
        if (f.report)
            log_client(LogLevel::Notice, "!" + std::to_string(f.count) + " FAILED LOGIN ATTEMPTS in " +
                                             duration_words(f.last - f.first));
        for (const std::string& note : f.notes) log(LogLevel::Notice, note);   // POP3-43
    }
    pause_ms(cfg_->mail.login_attempt.delay_ms);   // POP3-45
    reply("-ERR Authentication failure");
    return false;
}

} // namespace sbbs
