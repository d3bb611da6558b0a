// AUTH PLAIN, LOGIN and CRAM-MD5 against the in-memory user base.
#include "harness.h"

#include "smtp/sasl.h"

#include <catch.hpp>

using namespace smtptest;

static std::string plain(const std::string& user, const std::string& pw) {
    return base64_encode(std::string("\0", 1) + user + std::string("\0", 1) + pw);
}

TEST_CASE("SMTP-65 SMTP-70 SMTP-76 AUTH PLAIN with an initial response", "[smtp][auth]") {
    Harness h;
    h.users.users[3].etoday = 4;
    auto r = h.run({"AUTH PLAIN " + plain("mary", "MARYPW")});
    CHECK(r.back() == "235 2.7.0 User Authenticated");
    CHECK(h.auth_user == 3);
    CHECK(h.log.has("0007 SMTP  Mary logged-in using PLAIN authentication (4 emails sent today)"));
    REQUIRE(h.users.logins.size() == 1);                      // USER-31
    CHECK(h.users.logins[0].second.ip == "127.0.0.2");
    CHECK(h.users.logins[0].second.protocol == "SMTP");
    CHECK(h.users.logins[0].second.host == "<no name>");
}

TEST_CASE("SMTP-69 AUTH PLAIN without argument sends '334 ' and reads the response", "[smtp][auth]") {
    Harness h;
    auto r = h.run({"AUTH PLAIN", plain("Mary", "maryPW")});
    CHECK(r[1] == "334 ");
    CHECK(r[2] == "235 2.7.0 User Authenticated");
    Harness e;
    auto re = e.run({"AUTH PLAIN", "", "NOOP"});
    CHECK(re[2] == "501 5.5.2 Bad argument");
    CHECK(re[3] == "250 2.0.0 OK");                           // the session continues
    CHECK(e.attempts.recorded.size() == 1);
}

TEST_CASE("SMTP-70 USER-29 AUTH PLAIN with a missing name or password or bad base64", "[smtp][auth]") {
    for (std::string blob : {plain("", "x"), plain("Mary", ""), std::string("!!!!"), base64_encode("Mary")}) {
        Harness h;
        auto r = h.run({"AUTH PLAIN " + blob, "NOOP"});
        CHECK(r[1] == "501 5.5.2 Bad argument");
        CHECK(r[2] == "250 2.0.0 OK");
        CHECK(h.auth_user == 0);
    }
}

TEST_CASE("SMTP-67 AUTH LOGIN asks for user name then password", "[smtp][auth]") {
    Harness h;
    auto r = h.run({"AUTH LOGIN", base64_encode("John.Doe"), base64_encode("pass1")});
    CHECK(r[1] == "334 VXNlcm5hbWU6");
    CHECK(r[2] == "334 UGFzc3dvcmQ6");
    CHECK(r[3] == "235 2.7.0 User Authenticated");
    CHECK(h.auth_user == 2);
    CHECK(h.log.has("John Doe logged-in using LOGIN authentication"));
}

TEST_CASE("SMTP-68 AUTH LOGIN: empty, undecodable or control-character answers are failed logins", "[smtp][auth]") {
    for (std::string bad : {std::string(""), std::string("%%%%"), base64_encode("a\x01")}) {
        Harness h;
        auto r = h.run({"AUTH LOGIN", bad, "NOOP"});
        CHECK(r[2] == "501 5.5.2 Bad argument");
        CHECK(r[3] == "250 2.0.0 OK");
        CHECK(h.attempts.recorded.size() == 1);
    }
}

TEST_CASE("SMTP-65 other AUTH lines get 504", "[smtp][auth]") {
    for (std::string l : {std::string("AUTH"), "AUTH LOGIN " + base64_encode("Mary"), std::string("AUTH XOAUTH2 abc"),
                          std::string("AUTH DIGEST-MD5")}) {
        Harness h;
        auto r = h.run({l});
        CHECK(r.back() == "504 5.5.4 Unrecognized authentication type.");
    }
}

TEST_CASE("SMTP-64 SMTP-259 a second AUTH after success is a bad sequence", "[smtp][auth]") {
    Harness h;
    auto r = h.run({"AUTH PLAIN " + plain("Mary", "maryPW"), "AUTH PLAIN " + plain("Sysop", "secret")});
    CHECK(r.back() == "503 5.5.1 Bad sequence of commands");
    CHECK(h.auth_user == 3);
}

TEST_CASE("SMTP-72 SMTP-77 SMTP-84 unknown login name: counted failure, 535, session closed", "[smtp][auth]") {
    Harness h;
    h.attempts.failures_by_ip["127.0.0.2"] = 1;
    auto r = h.run({"AUTH PLAIN " + plain("nobody", "guess"), "NOOP"});
    CHECK(r.back() == "535 5.7.8 Authentication failure");
    CHECK(h.io.input.size() == 1);
    CHECK(h.log.has("!UNKNOWN USER: 'nobody'"));
    REQUIRE(h.attempts.recorded.size() == 1);
    CHECK(h.attempts.recorded[0].user == "nobody");
    CHECK(h.attempts.recorded[0].protocol == "SMTP");
    CHECK(h.log.has("[127.0.0.2] !2 FAILED LOGIN ATTEMPTS"));
    CHECK_FALSE(h.log.has("guess"));                          // never a password in the log
    CHECK_FALSE(h.log.has(plain("nobody", "guess")));         // nor the encoded initial response
    CHECK(h.log.has("RX: AUTH PLAIN ********"));
}

TEST_CASE("SMTP-74 USER-26 passwords compare ignoring case; a wrong one closes the session", "[smtp][auth]") {
    Harness ok;
    ok.run({"AUTH PLAIN " + plain("sysop", "sEcReT")});
    CHECK(ok.auth_user == 1);
    Harness bad;
    auto r = bad.run({"AUTH PLAIN " + plain("sysop", "wrong"), "NOOP"});
    CHECK(r.back() == "535 5.7.8 Authentication failure");
    CHECK(bad.log.has("sysop !FAILED Password attempt"));
    CHECK_FALSE(bad.log.has("wrong"));
    CHECK(bad.attempts.recorded.size() == 1);
}

TEST_CASE("SMTP-73 USER-30 deleted or inactive accounts fail without counting", "[smtp][auth]") {
    Harness h;
    h.users.users[3].misc |= User::MISC_INACTIVE;
    auto r = h.run({"AUTH PLAIN " + plain("Mary", "maryPW"), "NOOP"});
    CHECK(r.back() == "535 5.7.8 Authentication failure");
    CHECK(h.attempts.recorded.empty());
    CHECK(h.io.input.size() == 1);
}

TEST_CASE("SMTP-71 login by number or real name only when the system allows it", "[smtp][auth]") {
    Harness h;
    h.run({"AUTH PLAIN " + plain("3", "maryPW")});
    CHECK(h.auth_user == 0);
    Harness n;
    n.cfg->sys.login |= SystemSettings::LOGIN_USERNUM;
    n.run({"AUTH PLAIN " + plain("3", "maryPW")});
    CHECK(n.auth_user == 3);
    Harness rn;
    rn.cfg->sys.login |= SystemSettings::LOGIN_REALNAME;
    rn.run({"AUTH PLAIN " + plain("Johnathan Doe", "pass1")});
    CHECK(rn.auth_user == 2);
}

TEST_CASE("SMTP-76 success clears the IP's failed-login record", "[smtp][auth]") {
    Harness h;
    h.attempts.failures_by_ip["127.0.0.2"] = 3;
    h.run({"AUTH PLAIN " + plain("Mary", "maryPW")});
    CHECK(h.attempts.failures_by_ip.count("127.0.0.2") == 0);
}

TEST_CASE("SMTP-33 the greeting is delayed after repeated failures", "[smtp][auth]") {
    Harness h;
    h.cfg->mail.login_attempt.throttle_ms = 20;
    h.attempts.failures_by_ip["127.0.0.2"] = 3;
    auto t0 = std::chrono::steady_clock::now();
    h.run({});
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(60));
}

static std::string cram_response(const std::string& challenge_line, const std::string& user, const std::string& key) {
    auto challenge = base64_decode(challenge_line.substr(4));
    return base64_encode(user + " " + hmac_md5_hex(key, *challenge));
}

// A client that answers the CRAM-MD5 challenge it was sent.
struct CramIo : Io {
    std::string user, key;
    ReadLine read_line(size_t max_len, unsigned t) override {
        if (!input.empty() && input.front() == "<cram>") {
            input.pop_front();
            auto ls = lines();
            return {ReadStatus::Line, cram_response(ls.back(), user, key)};
        }
        return Io::read_line(max_len, t);
    }
    bool input_pending() override { return false; }
};

TEST_CASE("SMTP-80 SMTP-81 USER-27 CRAM-MD5 keyed with the lower-cased password", "[smtp][auth]") {
    Harness h;
    CramIo io;
    io.user = "Sysop";
    io.key = "secret";
    io.send("AUTH CRAM-MD5");
    io.send("<cram>");
    SmtpSession s(h.cfg, h.listener, h.users, h.store, h.log, h.filters, h.extras);
    s.run(io);
    auto r = io.lines();
    REQUIRE(r.size() == 3);
    auto challenge = base64_decode(r[1].substr(4));
    REQUIRE(challenge);
    CHECK(challenge->front() == '<');
    CHECK(challenge->find("@bbs.example.com>") != std::string::npos);
    CHECK(r[2] == "235 2.7.0 User Authenticated");
    CHECK(s.authenticated_user() == 1);

    CramIo wrong;                                             // the stored case is not the key
    wrong.user = "Sysop";
    wrong.key = "Secret";
    wrong.send("AUTH CRAM-MD5");
    wrong.send("<cram>");
    SmtpSession s2(h.cfg, h.listener, h.users, h.store, h.log, h.filters, h.extras);
    s2.run(wrong);
    CHECK(wrong.lines().back() == "535 5.7.8 Authentication failure");
}

TEST_CASE("SEC-4 CRAM-MD5 keyed with an empty stored password is refused and counted", "[smtp][auth]") {
    Harness h;
    h.users.add(7, "Nopass", "");
    CramIo io;
    io.user = "Nopass";
    io.key = "";                                              // anyone can compute this HMAC
    io.send("AUTH CRAM-MD5");
    io.send("<cram>");
    SmtpSession s(h.cfg, h.listener, h.users, h.store, h.log, h.filters, h.extras);
    s.run(io);
    CHECK(io.lines().back() == "535 5.7.8 Authentication failure");
    CHECK(s.authenticated_user() == 0);
    CHECK(h.log.has("Nopass !FAILED Password attempt"));
}

TEST_CASE("SMTP-82 CRAM-MD5: an undecodable answer is 501 without counting", "[smtp][auth]") {
    Harness h;
    auto r = h.run({"AUTH CRAM-MD5", "***", "NOOP"});
    CHECK(r[2] == "501 5.5.2 Bad argument");
    CHECK(r[3] == "250 2.0.0 OK");
    CHECK(h.attempts.recorded.empty());
}

TEST_CASE("SMTP-83 AUTH works on port 25 in clear text before HELO", "[smtp][auth]") {
    Harness h;
    auto r = h.run({"AUTH PLAIN " + plain("Mary", "maryPW"), "EHLO x"});
    CHECK(r[1] == "235 2.7.0 User Authenticated");
}

TEST_CASE("SMTP-93 SMTP-260 submission ports require AUTH before MAIL", "[smtp][auth]") {
    Harness h;
    h.listener = Listener::Submission;
    auto r = h.run({"EHLO x", "MAIL FROM:<mary@example.com>", "AUTH PLAIN " + plain("Mary", "maryPW"),
                    "MAIL FROM:<mary@example.com>"});
    CHECK(codes(r) == std::vector<int>{220, 250, 530, 235, 250});
    CHECK(has_line(r, "530 5.7.0 Authentication required."));
    CHECK(h.log.has("!UNAUTHENTICATED submission attempt from 127.0.0.2"));
}

TEST_CASE("SMTP-66 SMTP-128 SMTP_AUTH_VIA_IP: a recent login from this IP may relay", "[smtp][auth]") {
    Harness h;
    h.cfg->mail.options |= mail_opt::SMTP_AUTH_VIA_IP | mail_opt::ALLOW_RELAY;
    h.users.users[3].ipaddr = "127.0.0.2";
    h.users.users[3].laston = time(nullptr) - 600;
    auto r = h.run({"EHLO x", "MAIL FROM:<mary@example.com>", "RCPT TO:<friend@elsewhere.org>"});
    CHECK(r.back() == "250 2.1.5 OK");
    CHECK(h.auth_user == 3);

    Harness old;
    old.cfg->mail.options |= mail_opt::SMTP_AUTH_VIA_IP | mail_opt::ALLOW_RELAY;
    old.users.users[3].ipaddr = "127.0.0.2";
    old.users.users[3].laston = time(nullptr) - 7200;
    auto ro = old.run({"EHLO x", "MAIL FROM:<mary@example.com>", "RCPT TO:<friend@elsewhere.org>"});
    CHECK(ro.back().substr(0, 3) == "553");

    Harness cleared;                                          // an AUTH attempt drops the IP association
    cleared.cfg->mail.options |= mail_opt::SMTP_AUTH_VIA_IP | mail_opt::ALLOW_RELAY;
    cleared.users.users[3].ipaddr = "127.0.0.2";
    cleared.users.users[3].laston = time(nullptr) - 60;
    cleared.run({"EHLO x", "MAIL FROM:<a@b.c>", "RCPT TO:<friend@elsewhere.org>", "AUTH PLAIN !!!!"});
    CHECK(cleared.auth_user == 0);
}

TEST_CASE("SMTP-75 USER-30 LoginRequirements are checked after the password", "[smtp][auth]") {
    Harness h;
    h.cfg->mail.login_requirements = "LEVEL 60";
    auto r = h.run({"AUTH PLAIN " + plain("Mary", "maryPW"), "NOOP"});
    CHECK(r.back() == "535 5.7.8 Authentication failure");
    CHECK(h.log.has("Mary !Insufficient server access: LEVEL 60"));
    CHECK(h.attempts.recorded.size() == 1);
    Harness ok;
    ok.cfg->mail.login_requirements = "LEVEL 50";
    ok.run({"AUTH PLAIN " + plain("Mary", "maryPW")});
    CHECK(ok.auth_user == 3);
}

TEST_CASE("SMTP-254 an AUTH session's end updates the user's last-on and time-on; others do not", "[smtp][auth]") {
    Harness h;
    auto r = h.run({"AUTH PLAIN " + plain("mary", "MARYPW"), "QUIT"});
    REQUIRE(r[1] == "235 2.7.0 User Authenticated");
    REQUIRE(h.users.logouts.size() == 1);
    CHECK(h.users.logouts[0].user == 3);
    CHECK(h.users.logouts[0].login == h.users.logins[0].second.when);
    CHECK(h.users.logouts[0].logout >= h.users.logouts[0].login);
    Harness anon;
    anon.run({"NOOP", "QUIT"});
    CHECK(anon.users.logouts.empty());
    Harness failed;
    failed.run({"AUTH PLAIN " + plain("mary", "wrong")});
    CHECK(failed.users.logouts.empty());
}

TEST_CASE("SMTP-26 SMTP-77 a temporarily banned client is closed before the greeting without a reply", "[smtp][auth]") {
    Harness h;
    h.attempts.bans["127.0.0.2"] = "!TEMPORARY BAN (20 login attempts, last: root) - remaining: 9 minutes";
    auto r = h.run({"EHLO client.example.net", "QUIT"});
    CHECK(r.empty());
    CHECK(h.log.has("[127.0.0.2] !TEMPORARY BAN (20 login attempts, last: root) - remaining: 9 minutes"));
}

TEST_CASE("SMTP-24 SMTP-26 a connection from the server's own address is never banned", "[smtp][auth]") {
    Harness h;
    h.io.ip = h.io.local;
    h.attempts.bans[h.io.local] = "!TEMPORARY BAN (20 login attempts, last: root) - remaining: 9 minutes";
    auto r = h.run({"QUIT"});
    REQUIRE_FALSE(r.empty());
    CHECK(r[0].rfind("220 ", 0) == 0);
}

TEST_CASE("SMTP-77 the failure count, its time span and the filter's log line", "[smtp][auth]") {
    struct Blocking : TestAttempts {
        FailureReport record_failure(const FailedLogin& a) override {
            FailureReport f = TestAttempts::record_failure(a);
            f.notes.push_back("!BLOCKING IP ADDRESS: " + a.ip + " in text/ip.can");
            return f;
        }
    } attempts;
    Harness h;
    h.extras.login_attempts = &attempts;
    attempts.failures_by_ip["127.0.0.2"] = 4;
    h.run({"AUTH PLAIN " + plain("nobody", "guess")});
    CHECK(h.log.has("[127.0.0.2] !5 FAILED LOGIN ATTEMPTS in 2 minutes"));
    CHECK(h.log.has("!BLOCKING IP ADDRESS: 127.0.0.2 in text/ip.can"));
    REQUIRE(attempts.recorded.size() == 1);
    CHECK(attempts.recorded[0].host == "<no name>");           // SMTP-79: the host name, not the IP
    CHECK(attempts.recorded[0].port == h.io.peer_port());
}

TEST_CASE("SMTP-52 SMTP-45 a command over the request rate limit gets 421 and ends the session", "[smtp][auth]") {
    Harness h;
    int asked = 0;
    h.extras.request_gate = [&](const std::string& ip, const std::string&) -> std::optional<RateRefusal> {
        if (++asked < 3) return std::nullopt;
        return RateRefusal{ip, 2, 60, std::nullopt};
    };
    auto r = h.run({"EHLO client.example.net", "NOOP", "NOOP", "NOOP"});
    CHECK(r.back() == "421 4.7.0 too many requests, try again later");
    CHECK(asked == 3);
    CHECK(h.io.input.size() == 1);
    CHECK(h.log.has("[127.0.0.2] Too many requests per rate limit (2 over 60s) for 127.0.0.2"));
}
