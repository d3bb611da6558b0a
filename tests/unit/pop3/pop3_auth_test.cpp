// POP3 greeting and AUTHORIZATION state, driven without sockets.
#include "pop3_fixture.h"

#include <catch.hpp>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace sbbs;
using test::Pop3Fixture;

namespace {
// "+OK Synchronet <prot> Server 3.22a-<platform> Ready <hex@host>"
bool greeting_ok(const std::string& g, const std::string& prot, const std::string& host) {
    std::string head = "+OK Synchronet " + prot + " Server 3.22a-";
    size_t ready = g.find(" Ready <"), at = g.rfind('@');
    if (g.rfind(head, 0) != 0 || ready == std::string::npos || at == std::string::npos) return false;
    if (g.substr(at) != "@" + host + ">" || at == ready + 8) return false;
    for (size_t i = ready + 8; i < at; ++i)
        if (!std::isxdigit(static_cast<unsigned char>(g[i])) || std::isupper(static_cast<unsigned char>(g[i]))) return false;
    return true;
}

bool has(const std::vector<std::string>& lines, const std::string& l) {
    return std::find(lines.begin(), lines.end(), l) != lines.end();
}
} // namespace

TEST_CASE("POP3-18 POP3-19 greeting with a fresh APOP timestamp", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"QUIT"});
    REQUIRE(!out.empty());
    CHECK(greeting_ok(out[0], "POP3", "bbs.example.com"));
    std::string first = f.io.timestamp();
    f.run({"QUIT"});
    CHECK(f.io.timestamp() != first);
    f.cfg->mail.host_name = "pop.example.com";
    out = f.run({"QUIT"}, true);
    CHECK(greeting_ok(out[0], "POP3S", "pop.example.com"));
    CHECK(pop3::apop_timestamp(0x1a2b, 0xc, 0x5f5e100, 0x3e8, "h") == "<1a2bc5f5e1003e8@h>");
}

TEST_CASE("POP3-20 POP3-120 plain USER/PASS login, command words in any case", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    auto out = f.run({"user Alice", "pAsS Secret", "quit"});
    REQUIRE(out.size() == 4);
    CHECK(out[1] == "+OK");
    CHECK(out[2].rfind("+OK 1 messages (", 0) == 0);
    CHECK(out[3] == "+OK");
}

TEST_CASE("ISSUE13-2 POP3-20 a line over the limit gets -ERR and ends the session", "[pop3]") {
    Pop3Fixture f;
    f.deliver(1);
    auto out = f.run({"USER Alice", "PASS Secret", std::string(2000, 'x'), "STAT", "QUIT"});
    REQUIRE(out.size() == 4);
    CHECK(out[3] == "-ERR line too long");
    CHECK(f.io.input.size() == 2);   // STAT/QUIT never read
}

TEST_CASE("POP3-21 only USER, APOP, CAPA, STLS (and ours: AUTH, QUIT) before login", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"NOOP", "PASS x", "CAPA ", "QUIT"});
    CHECK(out[1] == "-ERR USER, APOP, CAPA, or STLS command expected");
    CHECK(out[2] == "-ERR USER, APOP, CAPA, or STLS command expected");
    CHECK(out[3] == "-ERR USER, APOP, CAPA, or STLS command expected");
    CHECK(out[4] == "+OK");       // RFC 1939 allows QUIT here; the original refuses it
}

TEST_CASE("POP3-22 the fifth unrecognised command closes the session; CAPA is free", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"X1", "CAPA", "X2", "X3", "X4", "X5", "USER Alice", "PASS Secret"});
    size_t errs = 0;
    for (auto& l : out) errs += l.rfind("-ERR USER, APOP", 0) == 0;
    CHECK(errs == 5);
    CHECK(f.io.input.size() == 2);   // USER/PASS never read
}

TEST_CASE("POP3-23 an empty line before login ends the session silently", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"", "USER Alice"});
    CHECK(out.size() == 1);
    CHECK(f.io.input.size() == 1);
}

TEST_CASE("POP3-24 (ours) a line with '-' in column 4 is an unknown command, not skipped", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"USE-R", "QUIT"});
    CHECK(out[1] == "-ERR USER, APOP, CAPA, or STLS command expected");
}

TEST_CASE("POP3-25 POP3-62 RFC6856-1 CAPA lists, STLS and UTF8 only before login on a clear connection", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"CAPA", "USER Alice", "PASS Secret", "CAPA", "QUIT"});
    std::vector<std::string> before(out.begin() + 1, out.begin() + 12);
    CHECK(before[0] == "+OK Capability list follows");
    CHECK(has(before, "TOP"));
    CHECK(has(before, "USER"));
    CHECK(has(before, "PIPELINING"));
    CHECK(has(before, "UIDL"));
    CHECK(has(before, "SASL PLAIN"));
    CHECK(has(before, "RESP-CODES"));
    CHECK(has(before, "STLS"));
    CHECK(before[9] == "UTF8");                    // ours: RFC 6856 2, valid before login only
    CHECK(before[10] == ".");
    CHECK(before[7].rfind("IMPLEMENTATION Synchronet POP3 Server 3.22a-", 0) == 0);
    size_t capa2 = 14;
    REQUIRE(out[capa2] == "+OK Capability list follows");
    std::vector<std::string> after(out.begin() + capa2, out.begin() + capa2 + 9);
    CHECK(!has(after, "STLS"));
    CHECK(!has(after, "UTF8"));
    CHECK(after[8] == ".");
    Pop3Fixture t;
    t.io.tls = true;
    out = t.run({"CAPA", "QUIT"});
    CHECK(!has(out, "STLS"));
    Pop3Fixture n;
    n.wire = [](Pop3Session& s) { s.set_tls_available(false); };
    out = n.run({"CAPA", "QUIT"});
    CHECK(!has(out, "STLS"));
}

TEST_CASE("POP3-12 POP3-26 STLS negotiates TLS and the session continues as POP3S", "[pop3]") {
    Pop3Fixture f;
    f.cfg->mail.options |= mail_opt::DEBUG_POP3;
    f.deliver(2);
    auto out = f.run({"STLS", "USER Alice", "PASS Secret", "QUIT"});
    CHECK(out[1] == "+OK Begin TLS negotiation");
    CHECK(f.io.tls);
    CHECK(out[2] == "+OK");               // no second greeting
    CHECK(f.log.any(" POP3S [127.0.0.2] <Alice> logged-in"));
    CHECK(f.attempts.failures.empty());
    Pop3Fixture bad;
    bad.io.tls_fails = true;
    out = bad.run({"STLS", "USER Alice"});
    CHECK(out.size() == 2);              // ends silently after the +OK
    Pop3Fixture none;
    none.wire = [](Pop3Session& s) { s.set_tls_available(false); };
    out = none.run({"STLS", "QUIT"});
    CHECK(out[1] == "-ERR STLS command not supported");
}

TEST_CASE("POP3-27 (ours) STLS on an encrypted session is refused", "[pop3]") {
    Pop3Fixture f;
    f.io.tls = true;
    auto out = f.run({"STLS", "QUIT"});
    CHECK(out[1].rfind("-ERR", 0) == 0);
}

TEST_CASE("POP3-28 (beyond the original) AUTH PLAIN, RFC 5034", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2);
    // "\0Alice\0Secret"
    auto out = f.run({"AUTH PLAIN AEFsaWNlAFNlY3JldA==", "STAT", "QUIT"});
    CHECK(out[1].rfind("+OK 1 messages", 0) == 0);
    Pop3Fixture c;
    out = c.run({"AUTH PLAIN", "AEFsaWNlAFNlY3JldA==", "QUIT"});
    CHECK(out[1] == "+ ");
    CHECK(out[2].rfind("+OK 0 messages", 0) == 0);
    Pop3Fixture x;
    out = x.run({"AUTH PLAIN", "*", "AUTH CRAM-MD5", "AUTH PLAIN !!!", "AUTH", "QUIT"});
    CHECK(out[2] == "-ERR authentication cancelled");
    CHECK(out[3] == "-ERR unsupported authentication mechanism");
    CHECK(out[4] == "-ERR invalid SASL PLAIN response");
    CHECK(out[5] == "+OK");
    CHECK(out[6] == "PLAIN");
    CHECK(out[7] == ".");
    Pop3Fixture w;
    out = w.run({"AUTH PLAIN AEFsaWNlAHdyb25n"});   // wrong password
    CHECK(out[1] == "-ERR Authentication failure");
    REQUIRE(w.attempts.failures.size() == 1);
    CHECK(w.attempts.failures[0].user == "Alice");
}

TEST_CASE("POP3-29 USER always answers +OK", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"USER nobody-here", "PASS x"});
    CHECK(out[1] == "+OK");
    CHECK(out[2] == "-ERR Authentication failure");
}

TEST_CASE("POP3-30 the line after USER must be PASS", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"USER Alice", "STAT", "QUIT"});
    CHECK(out[2] == "-ERR PASS command expected");
    CHECK(out.size() == 3);
    CHECK(f.log.find("!INVALID RESPONSE: 'STAT' Expected: 'PASS '") != "");
    CHECK(f.log.level_of("!INVALID RESPONSE") == LogLevel::Notice);
    Pop3Fixture e;
    auto out2 = e.run({"USER Alice", "PASS   Secret"});
    CHECK(out2[2].rfind("+OK 0 messages", 0) == 0);    // leading blanks before the password skipped
}

TEST_CASE("POP3-31 POP3-38 APOP: digest after the last space, MD5 of timestamp + lower-case password", "[pop3]") {
    Pop3Fixture f;
    f.users.add(3, "Carol Ann", "MiXeD");
    f.deliver(3);
    auto out = f.run({"APOP Carol Ann {digest:mixed}", "STAT", "QUIT"});
    CHECK(out[1].rfind("+OK 1 messages", 0) == 0);
    Pop3Fixture g;
    g.users.add(3, "Carol Ann", "MiXeD");
    out = g.run({"APOP Carol Ann {digest:MiXeD}"});
    CHECK(out[1] == "-ERR Authentication failure");
    CHECK(g.log.any("[127.0.0.2] !FAILED APOP authentication: Carol Ann"));
    Pop3Fixture h;
    out = h.run({"APOP Alice"});
    CHECK(out[1] == "-ERR Authentication failure");
    CHECK(pop3::apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf") == "c4c9334bac560ecc979e58001b3e22fb");
}

TEST_CASE("POP3-32 POP3-50 POP3-51 #nospam hides SPAM-flagged mail", "[pop3]") {
    Pop3Fixture f;
    f.deliver(2, "ham\r\n");
    f.deliver(2, "spam\r\n", smb::attr::SPAM);
    auto out = f.run({"USER Alice#nospam", "PASS Secret", "STAT", "QUIT"});
    CHECK(out[3].rfind("+OK 1 ", 0) == 0);
    out = f.run({"USER Alice", "PASS Secret", "STAT", "QUIT"});
    CHECK(out[3].rfind("+OK 2 ", 0) == 0);
    out = f.run({"USER Alice#NOSPAM", "PASS Secret"});
    CHECK(out[2] == "-ERR Authentication failure");    // case-sensitive suffix
}

TEST_CASE("POP3-33 login by alias (folded), by number and by real name", "[pop3]") {
    Pop3Fixture f;
    f.users.add(5, "John Doe", "pw").name = "Johnathan Doe";
    CHECK(f.run({"USER john.doe@bbs.example.com", "PASS pw", "QUIT"})[2].rfind("+OK", 0) == 0);
    CHECK(f.run({"USER 5", "PASS pw"})[2] == "-ERR Authentication failure");
    f.cfg->sys.login = SystemSettings::LOGIN_USERNUM;
    CHECK(f.run({"USER 5", "PASS pw", "QUIT"})[2].rfind("+OK", 0) == 0);
    CHECK(f.run({"USER 5x", "PASS pw"})[2] == "-ERR Authentication failure");
    CHECK(f.run({"USER 99", "PASS pw"})[2] == "-ERR Authentication failure");
    CHECK(f.run({"USER Johnathan Doe", "PASS pw"})[2] == "-ERR Authentication failure");
    f.cfg->sys.login = SystemSettings::LOGIN_REALNAME;
    CHECK(f.run({"USER Johnathan Doe", "PASS pw", "QUIT"})[2].rfind("+OK", 0) == 0);
}

TEST_CASE("POP3-34 POP3-42 unknown user: logged, counted, refused", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"USER ghost", "PASS boo"});
    CHECK(out[2] == "-ERR Authentication failure");
    CHECK(f.log.find("POP3  [127.0.0.2] !UNKNOWN USER: 'ghost'") != "");
    CHECK(f.log.level_of("!UNKNOWN USER") == LogLevel::Notice);
    REQUIRE(f.attempts.failures.size() == 1);
    CHECK(f.attempts.failures[0].ip == "127.0.0.2");
    CHECK(f.attempts.failures[0].protocol == "POP3");
    CHECK(f.attempts.failures[0].user == "ghost");
    CHECK(f.attempts.failures[0].password == "boo");
}

TEST_CASE("POP3-36 deleted or inactive users are refused without counting", "[pop3]") {
    Pop3Fixture f;
    f.users.users[2].misc |= User::MISC_INACTIVE;
    auto out = f.run({"USER Alice", "PASS Secret"});
    CHECK(out[2] == "-ERR Authentication failure");
    CHECK(f.log.any("[127.0.0.2] !DELETED or INACTIVE user #2 (Alice)"));
    CHECK(f.attempts.failures.empty());
}

TEST_CASE("POP3-37 SEC-4 password compared ignoring case; an empty stored password never logs in", "[pop3]") {
    Pop3Fixture f;
    CHECK(f.run({"USER Alice", "PASS SECRET", "QUIT"})[2].rfind("+OK", 0) == 0);
    auto out = f.run({"USER Alice", "PASS nope"});
    CHECK(out[2] == "-ERR Authentication failure");
    CHECK(f.log.any("[127.0.0.2] <Alice> !FAILED Password attempt"));
    f.users.add(6, "Empty", "");
    CHECK(f.run({"USER Empty", "PASS ", "QUIT"})[2] == "-ERR Authentication failure");
    CHECK(f.run({"APOP Empty {digest:}", "QUIT"})[1] == "-ERR Authentication failure");
    CHECK(f.log.any("!FAILED APOP authentication: Empty"));
}

TEST_CASE("POP3-39 LoginRequirements must be met", "[pop3]") {
    Pop3Fixture f;
    f.cfg->mail.login_requirements = "LEVEL 60";
    auto out = f.run({"USER Alice", "PASS Secret"});
    CHECK(out[2] == "-ERR Authentication failure");
    CHECK(f.log.any("<Alice> !Insufficient server access: LEVEL 60"));
    CHECK(f.attempts.failures.size() == 1);
    f.cfg->mail.login_requirements = "LEVEL 50";
    CHECK(f.run({"USER Alice", "PASS Secret", "QUIT"})[2].rfind("+OK", 0) == 0);
}

TEST_CASE("POP3-40 one authentication attempt per connection", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"USER Alice", "PASS wrong", "USER Alice", "PASS Secret"});
    CHECK(out.size() == 3);
    CHECK(f.io.input.size() == 2);
}

TEST_CASE("POP3-41 a successful login clears the IP record and records the login", "[pop3]") {
    Pop3Fixture f;
    f.cfg->mail.options |= mail_opt::DEBUG_POP3;
    f.wire = [](Pop3Session& s) { s.set_client_host("client.example"); };
    f.run({"USER Alice", "PASS Secret", "QUIT"});
    CHECK(f.attempts.successes == std::vector<std::string>{"127.0.0.2"});
    REQUIRE(f.users.logins.size() == 1);
    CHECK(f.users.logins[0].first == 2);
    CHECK(f.users.logins[0].second.ip == "127.0.0.2");
    CHECK(f.users.logins[0].second.host == "client.example");
    CHECK(f.users.logins[0].second.protocol.empty());
    CHECK(f.log.find("0000 POP3  [127.0.0.2] <Alice> logged-in ") == "0000 POP3  [127.0.0.2] <Alice> logged-in ");
    f.run({"APOP Alice {digest:secret}", "QUIT"});
    CHECK(f.log.any("<Alice> logged-in via APOP"));
}

TEST_CASE("POP3-43 repeated failures are reported with their count and time span", "[pop3]") {
    Pop3Fixture f;
    f.attempts.preexisting = 2;
    f.run({"USER Alice", "PASS wrong"});
    CHECK(f.log.find("[127.0.0.2] !3 FAILED LOGIN ATTEMPTS in 1.5 minutes") != "");
}

TEST_CASE("POP3-16 POP3-44 a temporarily banned IP is refused before the greeting", "[pop3]") {
    Pop3Fixture f;
    f.attempts.ban = LoginAttemptLog::Ban{20, "Alice", 600};
    auto out = f.run({"USER Alice"});
    CHECK(out == std::vector<std::string>{"-ERR Access denied."});
    CHECK(f.log.any("[127.0.0.2] !TEMPORARY BAN (20 login attempts, last: Alice) - remaining: 10 minutes"));
    Pop3Fixture self;                    // the server's own address is never banned
    self.attempts.ban = LoginAttemptLog::Ban{20, "Alice", 600};
    self.io.ip = self.io.local;
    CHECK(self.run({"QUIT"})[0].rfind("+OK Synchronet", 0) == 0);
}

TEST_CASE("POP3-17 POP3-45 throttling before the greeting and the failed-login delay", "[pop3]") {
    Pop3Fixture f;
    f.attempts.preexisting = 2;
    f.cfg->mail.login_attempt.throttle_ms = 10;
    f.cfg->mail.login_attempt.delay_ms = 60;
    auto t0 = std::chrono::steady_clock::now();
    f.run({"USER Alice", "PASS wrong"});
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    CHECK(ms >= 80);
    CHECK(f.log.any("[127.0.0.2] Throttling suspicious connection (2 login attempts)"));
}

TEST_CASE("POP3-15 on the TLS port the handshake comes first; a failed one sends nothing", "[pop3]") {
    Pop3Fixture f;
    auto out = f.run({"QUIT"}, true);
    CHECK(f.io.tls);
    CHECK(out[0].rfind("+OK Synchronet POP3S Server", 0) == 0);
    Pop3Fixture bad;
    bad.io.tls_fails = true;
    CHECK(bad.run({"QUIT"}, true).empty());
}

namespace {
// A ctrl/ and text/ pair under a fresh temporary directory.
struct ListDirs {
    std::filesystem::path root = std::filesystem::temp_directory_path() /
                                 ("pop3-lists-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    ListDirs() {
        std::filesystem::create_directories(root / "ctrl");
        std::filesystem::create_directories(root / "text");
    }
    ~ListDirs() { std::filesystem::remove_all(root); }
    std::string dir(const char* d) const { return (root / d).string() + "/"; }
    void write(const char* rel, const std::string& text) const { std::ofstream(root / rel) << text; }
};
} // namespace

TEST_CASE("POP3-16 ip.can and host.can refuse before the greeting unless exempt, logging the entry's details", "[pop3]") {
    ListDirs d;
    d.write("text/ip.can", "127.0.0.2\tr=too many failed logins\tp=SMTP\n");
    d.write("text/host.can", "*.bad.example\tr=spam source\n");
    Pop3AccessLists lists(d.dir("ctrl"), d.dir("text"), 0);
    Pop3Fixture f;
    f.wire = [&](Pop3Session& s) { s.set_access_lists(&lists); };
    CHECK(f.run({"QUIT"}) == std::vector<std::string>{"-ERR Access denied."});
    CHECK(f.log.any("[127.0.0.2] !CLIENT BLOCKED in " + d.dir("text") + "ip.can  for too many failed logins using SMTP"));
    f.io.ip = "127.0.0.9";
    f.wire = [&](Pop3Session& s) { s.set_access_lists(&lists); s.set_client_host("x.bad.example"); };
    CHECK(f.run({"QUIT"}) == std::vector<std::string>{"-ERR Access denied."});
    CHECK(f.log.any("[127.0.0.9] !CLIENT BLOCKED in " + d.dir("text") + "host.can: x.bad.example  for spam source"));
    d.write("ctrl/ipfilter_exempt.cfg", "127.0.0.9\n");
    f.attempts.ban = LoginAttemptLog::Ban{30, "x", 60};
    CHECK(f.run({"QUIT"})[0].rfind("+OK Synchronet", 0) == 0);
}

TEST_CASE("POP3-16 CFG-133: an ip.can line added while the server runs refuses the next session", "[pop3]") {
    ListDirs d;
    d.write("text/ip.can", "192.0.2.1\n");
    Pop3AccessLists lists(d.dir("ctrl"), d.dir("text"), 0);
    Pop3Fixture f;
    f.wire = [&](Pop3Session& s) { s.set_access_lists(&lists); };
    CHECK(f.run({"QUIT"})[0].rfind("+OK Synchronet", 0) == 0);
    d.write("text/ip.can", "192.0.2.1\n127.0.0.2\tt=20260101T000000Z\tr=3 FAILED LOGIN ATTEMPTS in 1m\n");
    std::filesystem::last_write_time(d.root / "text/ip.can",
                                     std::filesystem::file_time_type::clock::now() + std::chrono::seconds(5));
    CHECK(f.run({"QUIT"}) == std::vector<std::string>{"-ERR Access denied."});
}

TEST_CASE("POP3-16 POP3-44 the temporary ban is checked before ip.can", "[pop3]") {
    ListDirs d;
    d.write("text/ip.can", "127.0.0.2\n");
    Pop3AccessLists lists(d.dir("ctrl"), d.dir("text"), 0);
    Pop3Fixture f;
    f.attempts.ban = LoginAttemptLog::Ban{20, "Alice", 600};
    f.wire = [&](Pop3Session& s) { s.set_access_lists(&lists); };
    CHECK(f.run({"QUIT"}) == std::vector<std::string>{"-ERR Access denied."});
    CHECK(f.log.any("[127.0.0.2] !TEMPORARY BAN (20 login attempts, last: Alice) - remaining: 10 minutes"));
    CHECK_FALSE(f.log.any("!CLIENT BLOCKED"));
}

TEST_CASE("POP3-58 a TRANSACTION command refused by the rate limit ends the session", "[pop3]") {
    Pop3Fixture f;
    int asked = 0;
    f.wire = [&](Pop3Session& s) {
        s.set_request_gate([&](const std::string& ip, const std::string&) -> std::optional<RateRefusal> {
            if (++asked < 2) return std::nullopt;
            return RateRefusal{ip, 1, 60, std::string("!BLOCKING IP ADDRESS: ") + ip + " in ip.can"};
        });
    };
    auto out = f.run({"USER Alice", "PASS Secret", "NOOP", "NOOP", "NOOP"});
    CHECK(out.back() == "-ERR too many requests, try again later");
    CHECK(asked == 2);
    CHECK(f.log.any("[127.0.0.2] <Alice> Too many requests per rate limit (1 over 60s) for 127.0.0.2"));
    CHECK(f.log.any("!BLOCKING IP ADDRESS: 127.0.0.2 in ip.can"));
}

TEST_CASE("POP3-35 a user record that cannot be read ends the session without a reply", "[pop3]") {
    struct BrokenUsers : test::MemoryUserDirectory {
        Result<User> get(uint32_t) override { return make_error("user.tab locked", ErrorCode::Locked); }
    };
    Pop3Fixture f;
    BrokenUsers users;
    users.add(2, "Alice", "Secret");
    for (auto& l : {"USER Alice", "PASS Secret"}) f.io.send(l);
    Pop3Session s(f.cfg, users, f.store, f.log, f.attempts, false);
    s.run(f.io);
    CHECK(f.io.lines().size() == 2);             // greeting and +OK for USER, nothing after PASS
    CHECK(f.log.any("[127.0.0.2] !ERROR user.tab locked getting data on user (Alice)"));
    CHECK(f.log.level_of("getting data on user") == LogLevel::Error);
}

TEST_CASE("POP3-111 a peer that goes away is logged", "[pop3]") {
    Pop3Fixture f;
    f.run({"USER Alice", "PASS Secret"});
    CHECK(f.log.any("0000 POP3  Socket closed by peer on receive"));
    CHECK(f.log.level_of("Socket closed by peer") == LogLevel::Notice);
}

TEST_CASE("POP3-9 POP3-114 a login frees the connection's per-IP place; the end line carries the counts", "[pop3]") {
    Pop3Fixture f;
    f.cfg->mail.options |= mail_opt::DEBUG_POP3;
    int logins = 0;
    f.wire = [&](Pop3Session& s) {
        s.set_login_hook([&] { ++logins; });
        s.set_thread_counts([] { return std::string("(2 threads remain, 9 clients served)"); });
    };
    f.run({"USER Alice", "PASS wrong", "QUIT"});
    CHECK(logins == 0);
    f.run({"USER Alice", "PASS Secret", "QUIT"});
    CHECK(logins == 1);
    CHECK(f.log.any("[127.0.0.2] Session thread terminated (2 threads remain, 9 clients served)"));
}

TEST_CASE("POP3-110 a read ended by the server's shutdown is logged as aborted", "[pop3]") {
    std::atomic<bool> stopping{false};
    Pop3Fixture peer;
    peer.wire = [&](Pop3Session& s) { s.set_stopping(&stopping); };
    peer.run({"USER Alice"});                      // the client goes away
    CHECK(peer.log.any("Socket closed by peer on receive"));
    CHECK_FALSE(peer.log.any("ABORTING"));
    stopping = true;
    Pop3Fixture stop;
    stop.wire = [&](Pop3Session& s) { s.set_stopping(&stopping); };
    stop.run({"USER Alice"});                      // the server closed the socket
    CHECK(stop.log.any("!ABORTING sockreadline"));
    CHECK(stop.log.level_of("!ABORTING sockreadline") == LogLevel::Warning);
    CHECK_FALSE(stop.log.any("Socket closed by peer"));
}
