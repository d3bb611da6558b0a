// The session state machine without sockets: greeting, HELO/EHLO, sequencing,
// bad input, limits, timeouts, STARTTLS and pipelined replies.
#include "harness.h"

#include <catch.hpp>

#include <filesystem>
#include <fstream>

using namespace smtptest;

TEST_CASE("SMTP-35 greeting names host, protocol, version and platform", "[smtp]") {
    Harness h;
    auto r = h.run({});
    REQUIRE(r.size() == 1);
    CHECK(r[0] == "220 bbs.example.com Synchronet SMTP Server 3.22a-Linux Ready");
}

TEST_CASE("SMTP-21 SMTP-251 connection log line and its prefix", "[smtp]") {
    Harness h;
    h.run({"QUIT"});
    CHECK(h.log.has("0007 SMTP  [127.0.0.2] Connection accepted on 127.0.0.1 port 25 from port 40000"));
    CHECK(h.log.level_of("Connection accepted") == LogLevel::Info);
}

TEST_CASE("SMTP-22 host name from PTR unless NO_HOST_LOOKUP", "[smtp]") {
    Harness h;
    h.resolver.ptrs["127.0.0.2"] = "client.example.net";
    h.extras.resolver = &h.resolver;
    h.run({"QUIT"});
    CHECK(h.log.has("[127.0.0.2] Hostname: client.example.net"));

    Harness n;
    n.resolver.ptrs["127.0.0.2"] = "client.example.net";
    n.extras.resolver = &n.resolver;
    n.cfg->mail.options |= mail_opt::NO_HOST_LOOKUP;
    n.run({"QUIT"});
    CHECK_FALSE(n.log.has("client.example.net"));
}

TEST_CASE("SMTP-12 SMTP-13 SMTP-23 implicit TLS port: handshake first, protocol SMTPS", "[smtp]") {
    Harness h;
    h.listener = Listener::TlsSubmission;
    auto r = h.run({"QUIT"});
    CHECK(h.io.tls);
    CHECK(h.protocol == "SMTPS");
    CHECK(r.front() == "220 bbs.example.com Synchronet SMTPS Server 3.22a-Linux Ready");

    Harness f;
    f.listener = Listener::TlsSubmission;
    f.io.tls_fails = true;
    auto rf = f.run({"EHLO x", "QUIT"});
    CHECK(rf.empty());                                  // no SMTP reply at all
}

TEST_CASE("SMTP-38 SMTP-43 command lines lose trailing white space and control characters", "[smtp]") {
    Harness h;
    auto r = h.run({"NOOP   \t", "NO\x01OP", "QUIT"});
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 221});
    CHECK(h.log.has("RX: NOOP"));
}

TEST_CASE("SMTP-39 SMTP-262 inactivity ends the session with a 421 and a warning", "[smtp]") {
    Harness h;
    h.cfg->mail.max_inactivity_s = 33;
    auto r = h.run({"EHLO x", "<timeout>", "NOOP"});
    CHECK(r.back() == "421 4.4.2 bbs.example.com closing connection");
    CHECK(h.io.last_timeout == 33);
    CHECK(h.log.has("!TIMEOUT in sock_recvbyte (33 seconds):  INACTIVE SOCKET"));
    CHECK(h.log.level_of("!TIMEOUT") == LogLevel::Warning);
    CHECK(h.io.input.size() == 1);                      // NOOP never read
}

TEST_CASE("SMTP-8 MaxInactivity 0 means 120 seconds", "[smtp]") {
    Harness h;
    h.cfg->mail.max_inactivity_s = 0;
    h.run({"NOOP"});
    CHECK(h.io.last_timeout == 120);
}

TEST_CASE("SMTP-40 a locked mail base answers 421 and ends the session", "[smtp]") {
    auto dir = std::filesystem::temp_directory_path() / ("smtp-lock-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "mail.lock") << "";
    Harness h;
    h.cfg->paths.data = dir.string() + "/";
    auto r = h.run({"EHLO x", "NOOP"});
    std::filesystem::remove_all(dir);
    CHECK(r.back() == "421 4.3.2 System Error: mail base locked, try again later");
    CHECK(codes(r) == std::vector<int>{220, 421});
}

TEST_CASE("SMTP-42 a command line over 510 characters is refused and the session closed", "[smtp]") {
    Harness h;
    auto r = h.run({"EHLO x", "NOOP " + std::string(600, 'a'), "NOOP"});
    CHECK(r.back() == "500 5.5.2 Line too long (command)");
    CHECK(h.io.input.size() == 1);
}

TEST_CASE("SMTP-44 verbs: case-insensitive, 4-character HELO/EHLO/DATA, exact MAIL/RCPT prefixes", "[smtp]") {
    Harness h;
    auto r = h.run({"helox client", "mail from:<a@b.c>", "RCPT TO :<john.doe@example.com>",
                    "rcpt to:<john.doe@example.com>", "NOOP now", "QUIT"});
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 500, 250, 500, 221});
}

TEST_CASE("SMTP-46 SMTP-47 before HELO only HELO, EHLO, AUTH, QUIT and NOOP run", "[smtp]") {
    Harness h;
    std::vector<std::string> in;
    for (int i = 0; i < 12; ++i) in.push_back("MAIL FROM:<a@b.c>");   // not counted as bad commands
    in.push_back("NOOP");
    in.push_back("AUTH FOO");
    in.push_back("QUIT");
    auto r = h.run(in);
    auto c = codes(r);
    CHECK(c.size() == 16);
    CHECK(c[1] == 503);
    CHECK(c[12] == 503);
    CHECK(c[13] == 250);
    CHECK(c[14] == 504);
    CHECK(c[15] == 221);
    CHECK(r[1] == "503 5.5.1 Bad sequence of commands");
    CHECK(h.log.has("!MISSING 'HELO' command (Received: 'MAIL FROM:<a@b.c>')"));
}

TEST_CASE("SMTP-48 SMTP-50 unknown verbs get 500; the 10th closes the session", "[smtp]") {
    Harness h;
    std::vector<std::string> in{"EHLO x", "ATRN 10", "ETRN x"};
    for (int i = 0; i < 8; ++i) in.push_back("XYZZY");
    in.push_back("NOOP");
    auto r = h.run(in);
    auto c = codes(r);
    CHECK(c.size() == 12);                                // greeting, EHLO, 10 x 500; NOOP never answered
    CHECK(r.back() == "500 5.5.2 Syntax error");
    CHECK(h.log.has("!UNSUPPORTED COMMAND: 'ATRN 10'"));
    CHECK(h.log.has("!TOO MANY INVALID COMMANDS (10)"));
    CHECK(h.log.level_of("!UNSUPPORTED COMMAND") == LogLevel::Notice);
}

TEST_CASE("SMTP-49 NOOP, TURN, RSET and MAIL reset the bad-command counter", "[smtp]") {
    for (std::string reset : {"NOOP", "TURN", "RSET", "MAIL FROM:<a@b.c>"}) {
        Harness h;
        std::vector<std::string> in{"EHLO x"};
        for (int i = 0; i < 9; ++i) in.push_back("XYZZY");
        in.push_back(reset);
        for (int i = 0; i < 9; ++i) in.push_back("XYZZY");
        in.push_back("QUIT");
        auto r = h.run(in);
        CHECK(r.back().substr(0, 3) == "221");
    }
}

TEST_CASE("SMTP-51 TURN is not supported", "[smtp]") {
    Harness h;
    auto r = h.run({"HELO x", "TURN"});
    CHECK(r.back() == "502 5.5.1 command not supported");
}

TEST_CASE("SMTP-55 SMTP-56 NOOP and QUIT", "[smtp]") {
    Harness h;
    auto r = h.run({"NOOP", "QUIT", "NOOP"});
    CHECK(r[1] == "250 2.0.0 OK");
    CHECK(r[2] == "221 2.0.0 bbs.example.com Service closing transmission channel");
    CHECK(r.size() == 3);
}

TEST_CASE("SMTP-57 RSET drops the transaction, keeps authentication", "[smtp]") {
    Harness h;
    auto r = h.run({"EHLO x", "AUTH PLAIN " + std::string("AE1hcnkAbWFyeVBX"), "MAIL FROM:<a@b.c>",
                    "RCPT TO:<mary@example.com>", "RSET", "DATA", "RCPT TO:<mary@example.com>", "AUTH LOGIN"});
    CHECK(codes(r) == std::vector<int>{220, 250, 235, 250, 250, 250, 503, 503, 503});
    CHECK(h.log.has("Session reset"));
}

TEST_CASE("SMTP-59 HELO answers with the host name and takes any argument", "[smtp]") {
    Harness h;
    auto r = h.run({"HELO", "HELO some name here"});
    CHECK(r[1] == "250 bbs.example.com");
    CHECK(r[2] == "250 bbs.example.com");
}

TEST_CASE("SMTP-60 SMTP-62 RFC6531-1 RFC3030-1 RFC9422-1 RFC3461-4 EHLO lists its extensions", "[smtp]") {
    Harness h;
    h.extras.tls_available = true;
    auto r = h.run({"EHLO client"});
    std::vector<std::string> want{"250-bbs.example.com", "250-AUTH PLAIN LOGIN CRAM-MD5", "250-SEND", "250-SOML",
                                  "250-SAML", "250-8BITMIME", "250-STARTTLS", "250-SIZE 1000", "250-PIPELINING",
                                  "250-ENHANCEDSTATUSCODES", "250-SMTPUTF8", "250-CHUNKING",
                                  "250-BINARYMIME", "250-DSN", "250-LIMITS RCPTMAX=100", "250 OK"};
    CHECK(std::vector<std::string>(r.begin() + 1, r.end()) == want);
    for (auto& l : r) {
        CHECK(l.find("MAILMAX") == std::string::npos);   // no per-session transaction limit
    }
    Harness n;                                            // no TLS, unlimited size
    n.cfg->mail.max_msg_size = 0;
    auto rn = n.run({"EHLO client"});
    for (auto& l : rn) {
        CHECK(l.find("STARTTLS") == std::string::npos);
        CHECK(l.find("SIZE") == std::string::npos);
    }
    CHECK(has_line(rn, "250-CHUNKING"));
    Harness u;                                            // MaxRecipients 0 = unlimited: no LIMITS (RFC 9422 section 4)
    u.cfg->mail.max_recipients = 0;
    for (auto& l : u.run({"EHLO client"})) CHECK(l.find("LIMITS") == std::string::npos);
    Harness big;                                          // the grammar's 6 digits at most
    big.cfg->mail.max_recipients = 5000000;
    CHECK(has_line(big.run({"EHLO client"}), "250-LIMITS RCPTMAX=999999"));
}

TEST_CASE("SMTP-61 HELO/EHLO in a transaction starts over: a new MAIL is needed", "[smtp]") {
    Harness h;
    auto r = h.run({"EHLO x", "MAIL FROM:<a@b.c>", "RCPT TO:<mary@example.com>", "EHLO x",
                    "DATA", "RCPT TO:<mary@example.com>"});
    auto c = codes(r);
    CHECK(c[c.size() - 2] == 503);
    CHECK(c.back() == 503);
}

TEST_CASE("SMTP-86 SMTP-87 STARTTLS needs HELO, TLS and a clear session", "[smtp]") {
    Harness h;
    auto r = h.run({"STARTTLS", "EHLO x", "STARTTLS", "NOOP"});
    CHECK(codes(r) == std::vector<int>{220, 503, 250, 454, 250});
    CHECK(has_line(r, "454 4.7.0 TLS not available"));

    Harness t;
    t.extras.tls_available = true;
    t.io.tls = true;
    auto rt = t.run({"EHLO x", "STARTTLS"});
    CHECK(rt.back() == "500 5.5.2 Syntax error");
}

TEST_CASE("SMTP-88 SMTP-89 SMTP-90 STARTTLS: 220, then a fresh SMTPS session", "[smtp]") {
    Harness h;
    h.extras.tls_available = true;
    auto r = h.run({"EHLO x", "AUTH PLAIN AE1hcnkAbWFyeVBX", "MAIL FROM:<a@b.c>", "STARTTLS",
                    "MAIL FROM:<a@b.c>", "EHLO y", "MAIL FROM:<a@b.c>", "RCPT TO:<x@elsewhere.org>"});
    CHECK(has_line(r, "220 2.0.0 Ready to start TLS"));
    auto c = codes(r);
    // after TLS: MAIL needs EHLO again (503); authentication is gone, so relay is refused
    CHECK(c == std::vector<int>{220, 250, 235, 250, 220, 503, 250, 250, 550});
    CHECK(h.protocol == "SMTPS");
    CHECK(h.auth_user == 0);
    CHECK(h.log.has("0007 SMTPS "));
}

TEST_CASE("SMTP-88 a failed TLS handshake ends the session: no command after it is answered", "[smtp]") {
    Harness h;
    h.extras.tls_available = true;
    h.io.tls_fails = true;
    auto r = h.run({"EHLO x", "STARTTLS", "MAIL FROM:<a@b.c>", "QUIT"});
    CHECK(r.back() == "220 2.0.0 Ready to start TLS");
    CHECK(h.io.input.size() == 2);
}

TEST_CASE("PIPELINING: a pipelined group of replies goes out in one write", "[smtp]") {
    Harness h;
    h.run({"EHLO x", "MAIL FROM:<a@b.c>", "RCPT TO:<mary@example.com>", "RCPT TO:<sysop@example.com>", "QUIT"});
    // the whole script was pending from the start: one write at the end
    CHECK(h.io.writes == 1);
    CHECK(codes(h.io.lines()).size() == 6);
}

TEST_CASE("VRFY, EXPN and HELP get well-formed replies", "[smtp]") {
    Harness h;
    auto r = h.run({"EHLO x", "VRFY john", "EXPN list", "HELP"});
    CHECK(has_line(r, "252 2.5.2 Cannot VRFY user, but will accept message and attempt delivery"));
    CHECK(has_line(r, "502 5.5.1 EXPN not supported"));
    CHECK(r.back() == "214 2.0.0 End of HELP info");
}

TEST_CASE("SMTP-253 DEBUG_TX logs every reply line", "[smtp]") {
    Harness h;
    h.cfg->mail.options |= mail_opt::DEBUG_TX;
    h.run({"NOOP"});
    CHECK(h.log.has("TX: 250 2.0.0 OK"));
    Harness n;
    n.run({"NOOP"});
    CHECK_FALSE(n.log.has("TX: "));
}

TEST_CASE("SMTP-45 before HELO the gate stops TURN, RSET, MAIL, RCPT, DATA and STARTTLS", "[smtp]") {
    Harness h;
    h.extras.tls_available = true;
    auto r = h.run({"TURN", "RSET", "MAIL FROM:<a@b.c>", "RCPT TO:<mary@example.com>", "DATA", "STARTTLS",
                    "HELO x", "TURN", "RSET"});
    CHECK(codes(r) == std::vector<int>{220, 503, 503, 503, 503, 503, 503, 250, 502, 250});
}

TEST_CASE("SMTP-252 log levels: connection Info, refusals Notice, timeouts Warning, RX Debug", "[smtp]") {
    Harness h;
    h.run({"EHLO x", "XYZZY", "<timeout>"});
    CHECK(h.log.level_of("Connection accepted") == LogLevel::Info);
    CHECK(h.log.level_of("!UNSUPPORTED COMMAND") == LogLevel::Notice);
    CHECK(h.log.level_of("!TIMEOUT") == LogLevel::Warning);
    CHECK(h.log.level_of("RX: EHLO x") == LogLevel::Debug);
}

TEST_CASE("SMTP-91 a failed STARTTLS handshake is logged at INFO at most, quieter with TLSErrorLevel", "[smtp]") {
    Harness h;
    h.extras.tls_available = true;
    h.io.tls_fails = true;
    h.run({"EHLO x", "STARTTLS"});
    CHECK(h.log.level_of("!TLS handshake failed") == LogLevel::Info);
    Harness q;
    q.extras.tls_available = true;
    q.io.tls_fails = true;
    q.cfg->mail.tls_error_level = LogLevel::Debug;
    q.run({"EHLO x", "STARTTLS"});
    CHECK(q.log.level_of("!TLS handshake failed") == LogLevel::Debug);
}

TEST_CASE("SEC-11 RFC2920-3 pipelined replies are sent once they pass 64 KiB, not held without bound", "[smtp]") {
    Harness h;
    std::vector<std::string> lines{"EHLO client.example.net"};
    for (int i = 0; i < 20000; ++i) lines.push_back("NOOP");   // a client that pipelines and never reads
    lines.push_back("QUIT");
    auto r = h.run(lines);
    CHECK(r.size() > 20000);
    CHECK(h.io.largest_write <= 64 * 1024 + 512);
}
