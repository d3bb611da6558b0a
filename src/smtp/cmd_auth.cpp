// AUTH PLAIN, LOGIN and CRAM-MD5 against the user base (SMTP-64..SMTP-84,
// USER-26..USER-31). Passwords never reach a log line.
#include "smtp/session.h"

#include "smtp/sasl.h"
#include "userbase/login_auth.h"
#include "util/strings.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

namespace sbbs::smtp {

static bool has_controls(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return true;
    return false;
}

static Reply bad_argument() { return {501, "5.5.2", "Bad argument"}; }                // SMTP-68
static Reply auth_failure() { return {535, "5.7.8", "Authentication failure"}; }      // SMTP-72

SmtpSession::Flow SmtpSession::cmd_auth(const std::string& line) {
    if (auth_logged_in_) {                                                            // SMTP-64
        reply(bad_sequence());
        return Flow::Continue;
    }
    bool login = iequals(line, "AUTH LOGIN"), plain = iequals(line, "AUTH PLAIN");
    bool plain_ir = istarts_with(line, "AUTH PLAIN "), cram = iequals(line, "AUTH CRAM-MD5");
    if (!login && !plain && !plain_ir && !cram) {                                      // SMTP-65
        reply({504, "5.5.4", "Unrecognized authentication type."});
        return Flow::Continue;
    }
    auth_user_ = 0;                                                                   // SMTP-66
    auth_alias_.clear();
    if (login) return auth_login();
    if (cram) return auth_cram_md5();
    return auth_plain(plain_ir ? std::string(trim(std::string_view(line).substr(11))) : std::string());
}

// One client response to a 334 challenge; nullopt when the client is gone.
// ours: only the fact that a line arrived is logged, never its content.
std::optional<std::string> SmtpSession::auth_response() {
    ReadLine in = read(4096);                                                          // SMTP-84
    if (in.status == ReadStatus::TooLong) return std::string();
    if (in.status != ReadStatus::Line) return std::nullopt;
    if (cfg_->mail.has(mail_opt::DEBUG_RX_RSP)) log_client(LogLevel::Debug, "RX: <authentication response>");
    return std::string(trim(in.line));
}

SmtpSession::Flow SmtpSession::auth_fail(const std::string& name, const std::string& password, bool counted,
                                         Reply r) {
    if (counted && extras_.login_attempts) {                                           // SMTP-77
        FailureReport f = extras_.login_attempts->record_failure(
            {client_ip_, protocol_, name, password, client_host_, io_->peer_port()});
        if (f.failures > 1)
            log(LogLevel::Notice, "[" + client_ip_ + "] !" + std::to_string(f.failures) + " FAILED LOGIN ATTEMPTS in " +
                                      f.span);
        for (const std::string& note : f.notes) log(LogLevel::Notice, note);
    }
    if (cfg_->mail.login_attempt.delay_ms)
        std::this_thread::sleep_for(std::chrono::milliseconds(cfg_->mail.login_attempt.delay_ms));
    reply(r);
    return r.code == 535 ? Flow::Close : Flow::Continue;
}

SmtpSession::Flow SmtpSession::auth_succeed(const User& u, const char* method) {       // SMTP-76
    auth_user_ = u.number;
    auth_alias_ = u.alias;
    auth_logged_in_ = true;
    const time_t now = time(nullptr);
    (void)users_.record_login(u.number, {client_ip_, client_host_, protocol_, now});  // USER-31
    if (!logout_due_) logout_due_ = Login{u.number, now};
    if (extras_.login_attempts) extras_.login_attempts->clear(client_ip_);            // SEC-4: never an
    if (extras_.on_login) extras_.on_login();                                         // empty password, SMTP-16
    log_client(LogLevel::Info, std::string("logged-in using ") + method + " authentication (" +
                                   std::to_string(u.etoday) + " emails sent today)");
    reply({235, "2.7.0", "User Authenticated"});
    return Flow::Continue;
}

// The user base's verdict (USER-26..USER-30) turned into SMTP replies.
SmtpSession::Flow SmtpSession::auth_outcome(const AuthResult& r, const std::string& name,
                                            const std::string& password, const char* method) {
    switch (r.outcome) {
    case AuthOutcome::Ok:
        return auth_succeed(r.user, method);
    case AuthOutcome::UnknownUser:                                                    // SMTP-72
        log_client(LogLevel::Notice, "!UNKNOWN USER: '" + name + "'");
        return auth_fail(name, password, true, auth_failure());
    case AuthOutcome::ReadError:                                                      // SMTP-73
    case AuthOutcome::Unusable:
        log_client(LogLevel::Notice, "!DELETED, INACTIVE or unreadable user '" + name + "'");
        return auth_fail(name, password, false, auth_failure());
    case AuthOutcome::EmptyPassword:                                                  // USER-29
        return auth_fail(name, password, true, bad_argument());
    case AuthOutcome::BadPassword:                                                    // SMTP-74
        log_client(LogLevel::Notice, name + " !FAILED Password attempt");
        return auth_fail(name, password, true, auth_failure());
    case AuthOutcome::Requirements:                                                   // SMTP-75
        log_client(LogLevel::Notice, name + " !Insufficient server access: " + r.detail);
        return auth_fail(name, password, true, auth_failure());
    }
    return Flow::Close;
}

SmtpSession::Flow SmtpSession::auth_check_password(const std::string& name, const std::string& password,
                                                   const char* method) {
    Credentials c;
    c.login_id = name;
    c.password = password;
    c.method = std::string_view(method) == "LOGIN" ? AuthMethod::SmtpLogin : AuthMethod::SmtpPlain;
    return auth_outcome(authenticate(*cfg_, users_, c), name, password, method);
}

SmtpSession::Flow SmtpSession::auth_login() {                                          // SMTP-67
    reply_raw("334 VXNlcm5hbWU6");
    auto r1 = auth_response();
    if (!r1) return Flow::Close;
    auto name = base64_decode(*r1);
    if (r1->empty() || !name || name->empty() || has_controls(*name))                  // SMTP-68
        return auth_fail(name.value_or(""), "", true, bad_argument());
    reply_raw("334 UGFzc3dvcmQ6");
    auto r2 = auth_response();
    if (!r2) return Flow::Close;
    auto pw = base64_decode(*r2);
    if (r2->empty() || !pw || has_controls(*pw)) return auth_fail(*name, "", true, bad_argument());
    return auth_check_password(*name, *pw, "LOGIN");
}

SmtpSession::Flow SmtpSession::auth_plain(const std::string& initial) {                 // SMTP-69, SMTP-70
    std::string resp = initial;
    if (resp.empty()) {
        reply_raw("334 ");
        auto r = auth_response();
        if (!r) return Flow::Close;
        resp = *r;
    }
    auto blob = base64_decode(resp);
    if (resp.empty() || !blob) return auth_fail("", "", true, bad_argument());
    auto first = blob->find('\0');
    auto second = first == std::string::npos ? first : blob->find('\0', first + 1);
    if (second == std::string::npos) return auth_fail("", "", true, bad_argument());
    std::string name = blob->substr(first + 1, second - first - 1);
    std::string pw = blob->substr(second + 1);
    if (name.empty() || pw.empty() || has_controls(name) || has_controls(pw))
        return auth_fail(name, "", true, bad_argument());
    return auth_check_password(name, pw, "PLAIN");
}

SmtpSession::Flow SmtpSession::auth_cram_md5() {                                        // SMTP-80..SMTP-82
    std::random_device rd;
    char challenge[256];
    std::snprintf(challenge, sizeof challenge, "<%x%x%lx%lx@%s>", rd(), extras_.session_number,
                  (unsigned long)time(nullptr), (unsigned long)clock(), host().c_str());
    reply_raw("334 " + base64_encode(challenge));
    auto r = auth_response();
    if (!r) return Flow::Close;
    auto decoded = base64_decode(*r);
    if (r->empty() || !decoded || decoded->empty()) {
        reply(bad_argument());
        return Flow::Continue;
    }
    auto sp = decoded->rfind(' ');
    std::string name = decoded->substr(0, sp);
    std::string digest = sp == std::string::npos ? "" : decoded->substr(sp + 1);
    Credentials c;                                                                    // SMTP-81, USER-27
    c.login_id = name;
    c.method = AuthMethod::Digest;
    c.digest_matches = [&](const std::string& secret) { return digest == hmac_md5_hex(secret, challenge); };
    return auth_outcome(authenticate(*cfg_, users_, c), name, digest, "CRAM-MD5");
}

} // namespace sbbs::smtp
