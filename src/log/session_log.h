// A session's view of the log: prefixes every line the way the original does
// ("0003 SMTP  [192.0.2.7] ...", "0012 POP3S <alias> ...", "0000 SEND  ...";
// SMTP-251, pop3.md conventions, sendmail.md conventions) and guarantees
// that no password reaches the log: RX/TX lines go through a
// CredentialScrubber and every secret the session registers is masked in
// every line. One SessionLog per session thread (not shared between
// threads); the Logger behind it is thread-safe.
#pragma once

#include "log/credential_scrubber.h"
#include "log/logger.h"
#include "log/repeated_errors.h"

#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

class SessionLog {
public:
    // `socket`: the session's socket number (0 when none, as SendMail logs
    // "0000"); `protocol`: SMTP, SMTPS, POP3, POP3S, SEND, SEND/TLS.
    SessionLog(Logger& out, long socket, std::string protocol, std::string client_ip = {});

    // After STARTTLS/STLS (SMTP-13, POP3-12).
    void set_protocol(std::string protocol) { protocol_ = std::move(protocol); }
    // The client id after "[ip]": the alias once logged in (SMTP-76).
    void set_client(std::string id) { client_ = std::move(id); }
    void set_client_ip(const std::string& ip) { client_ = "[" + ip + "]"; }
    // The protocol label unpadded: "0000 SEND text" instead of "0000 SEND  text".
    void set_padded(bool padded) { padded_ = padded; }
    void set_socket(long socket) { socket_ = socket; }
    // A password (or other credential) the session has seen: it is masked in
    // every later line, whatever code logs it.
    void add_secret(std::string_view secret);

    bool enabled(LogLevel level) const { return out_.enabled(level); }
    // "<sock> <PROT> <client> <text>"
    void log(LogLevel level, std::string_view text);
    // "<sock> <PROT> <text>": lines the original writes without a client id.
    void log_bare(LogLevel level, std::string_view text);

    void debug(std::string_view t) { log(LogLevel::Debug, t); }
    void info(std::string_view t) { log(LogLevel::Info, t); }
    void notice(std::string_view t) { log(LogLevel::Notice, t); }
    void warning(std::string_view t) { log(LogLevel::Warning, t); }
    void error(std::string_view t) { log(LogLevel::Error, t); }
    // An error from a named code place: a repeat of the previous error's
    // place is logged as WARNING (SMTP-260, POP3-118) when the session has a
    // RepeatedErrors tracker.
    void error_at(std::string_view place, LogLevel level, std::string_view text);
    void set_repeated_errors(RepeatedErrors* tracker) { repeated_ = tracker; }

    // DEBUG "<client> RX: <line>" / "TX: <line>", credentials masked
    // (SMTP-43, SMTP-253, POP3-116/117).
    void rx(std::string_view line);
    void tx(std::string_view line);
    // The masked form of a received line without logging it (for spy logs).
    std::string scrub_rx(std::string_view line) { return mask_secrets(rx_scrubber_.scrub(line)); }
    CredentialScrubber& rx_scrubber() { return rx_scrubber_; }
    CredentialScrubber& tx_scrubber() { return tx_scrubber_; }

    // "0003 SMTP  " / "0000 SEND " (the part before the client id).
    std::string prefix() const;
    const std::string& client() const { return client_; }
    const std::string& protocol() const { return protocol_; }

private:
    std::string mask_secrets(std::string line) const;
    void emit(LogLevel level, std::string line);

    Logger& out_;
    long socket_;
    std::string protocol_;
    std::string client_;
    bool padded_ = true;
    RepeatedErrors* repeated_ = nullptr;  // owned by the server; outlives sessions
    std::vector<std::string> secrets_;
    CredentialScrubber rx_scrubber_;
    CredentialScrubber tx_scrubber_;
};

} // namespace sbbs
