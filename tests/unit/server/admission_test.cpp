// Accept-time admission on loopback: concurrent connections per IP without
// login, ip-silent.can, ipfilter_exempt.cfg; the highwater, summary and TLS
// failure lines.
#include "server/admission.h"
#include "server/server.h"
#include "server_test_support.h"

#include <catch.hpp>

#include <filesystem>
#include <fstream>
#include <optional>

using namespace sbbs;
using namespace std::chrono_literals;

namespace {

// Greets, then answers lines until QUIT; "LOGIN" marks the connection logged in.
class LoginHandler : public SessionHandler {
public:
    void run(SessionIo& io, const SessionContext& ctx) override {
        io.write("hello\r\n");
        for (;;) {
            auto r = io.read_line(100, ctx.max_inactivity_s);
            if (r.status != ReadStatus::Line || r.line == "QUIT") break;
            if (r.line == "LOGIN" && ctx.logged_in) ctx.logged_in();
            io.write("ok\r\n");
        }
    }
};

SessionHandlers login_handlers() {
    SessionHandlers h;
    h.smtp = [](ListenerKind) { return std::make_unique<LoginHandler>(); };
    h.pop3 = h.smtp;
    return h;
}

void write_file(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
}

} // namespace

TEST_CASE("SMTP-16 CFG-84 POP3-9 MaxConcurrentConnections counts connections from an IP not logged in", "[server]") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path());
    cfg->paths.text = dir.path() + "text/";
    cfg->mail.max_concurrent_connections = 2;
    Server server(cfg, login_handlers(), log);
    REQUIRE(server.start().ok());
    auto a = test::dial(test::port_of(server, ListenerKind::Smtp));
    auto b = test::dial(test::port_of(server, ListenerKind::Pop3));
    CHECK(test::first_line(a) == "hello\r\n");
    CHECK(test::first_line(b) == "hello\r\n");
    auto over = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::read_all(over) == "421 System Error: Maximum connections exceeded, try again later\r\n");
    auto over_pop3 = test::dial(test::port_of(server, ListenerKind::Pop3));
    CHECK(test::read_all(over_pop3) == "-ERR System Error: Maximum connections exceeded, try again later\r\n");
    CHECK(log.contains("SMTP  [127.0.0.1] !Maximum concurrent connections without login (2) exceeded (1 total)"));
    CHECK(log.contains("!Maximum concurrent connections without login (2) exceeded (2 total)"));

    REQUIRE(send_all(a, "LOGIN\r\n"));                  // a logged-in connection no longer counts
    CHECK(test::first_line(a) == "ok\r\n");
    auto c = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::first_line(c) == "hello\r\n");
    auto d = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::read_all(d).rfind("421 System Error: Maximum connections exceeded", 0) == 0);

    REQUIRE(send_all(b, "QUIT\r\n"));                   // a closed one frees its place
    test::read_all(b);
    CHECK(test::eventually([&] { return server.counters().active == 2; }));
    auto e = test::dial(test::port_of(server, ListenerKind::Pop3));
    CHECK(test::first_line(e) == "hello\r\n");
}

TEST_CASE("SMTP-17 an IP in text/ip-silent.can is dropped with no reply and no log line", "[server]") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path());
    cfg->paths.text = dir.path() + "text/";
    write_file(cfg->paths.text + "ip-silent.can", "; silent\n127.0.0.0/8\n");
    Server server(cfg, login_handlers(), log);
    REQUIRE(server.start().ok());
    auto a = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::read_all(a).empty());
    auto b = test::dial(test::port_of(server, ListenerKind::Pop3));
    CHECK(test::read_all(b).empty());
    CHECK_FALSE(log.contains("[127.0.0.1]"));
    CHECK(server.counters().served == 0);
}

TEST_CASE("SMTP-15 CFG-142 ipfilter_exempt.cfg skips the concurrent limit and ip-silent.can, not MaxClients", "[server]") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path());
    cfg->paths.text = dir.path() + "text/";
    write_file(cfg->paths.text + "ip-silent.can", "127.0.0.1\n");
    write_file(cfg->paths.ctrl + "ipfilter_exempt.cfg", "127.0.0.1\n");
    cfg->mail.max_concurrent_connections = 1;
    cfg->mail.max_clients = 2;
    Server server(cfg, login_handlers(), log);
    REQUIRE(server.start().ok());
    auto a = test::dial(test::port_of(server, ListenerKind::Smtp));
    auto b = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::first_line(a) == "hello\r\n");
    CHECK(test::first_line(b) == "hello\r\n");
    auto c = test::dial(test::port_of(server, ListenerKind::Smtp));   // (c) MaxClients still applies
    CHECK(test::read_all(c) == "421 System Error: Maximum active clients reached, try again later\r\n");
}

TEST_CASE("SMTP-15 the concurrent limit is checked before ip-silent.can", "[server]") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path());
    cfg->paths.text = dir.path() + "text/";
    cfg->mail.max_concurrent_connections = 1;
    Server server(cfg, login_handlers(), log);
    REQUIRE(server.start().ok());
    auto a = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::first_line(a) == "hello\r\n");
    write_file(cfg->paths.text + "ip-silent.can", "127.0.0.1\n");
    auto b = test::dial(test::port_of(server, ListenerKind::Smtp));   // over the limit: the 421 wins over silence
    CHECK(test::read_all(b) == "421 System Error: Maximum connections exceeded, try again later\r\n");
}

TEST_CASE("SMTP-20 no connection-rate limit: rapid reconnects from one IP are all served", "[server]") {
    test::TempDir dir;
    test::CaptureLogger log;
    Server server(test::loopback_config(dir.path()), login_handlers(), log);
    REQUIRE(server.start().ok());
    for (int i = 0; i < 40; ++i) {
        auto c = test::dial(test::port_of(server, ListenerKind::Smtp));
        REQUIRE(test::first_line(c) == "hello\r\n");
        REQUIRE(send_all(c, "QUIT\r\n"));
        test::read_all(c);
    }
    CHECK(server.counters().served == 40);
}

TEST_CASE("PerIpConnections: holds count per IP, logins once, release on destruction", "[server]") {
    PerIpConnections c;
    auto a = c.try_open("192.0.2.1", 2);
    auto b = c.try_open("192.0.2.1", 2);
    REQUIRE(a);
    REQUIRE(b);
    CHECK_FALSE(c.try_open("192.0.2.1", 2));
    CHECK(c.try_open("192.0.2.2", 2));                   // another IP has its own count
    a->logged_in();
    a->logged_in();
    auto d = c.try_open("192.0.2.1", 2);
    REQUIRE(d);
    CHECK_FALSE(c.try_open("192.0.2.1", 2));
    CHECK(c.open("192.0.2.1") == 3);
    a.reset();
    b.reset();
    d.reset();
    CHECK(c.open("192.0.2.1") == 0);
    CHECK(c.refused() == 2);
    CHECK(c.try_open("192.0.2.1", 0));                   // 0: no limit
}

TEST_CASE("POP3-115 a new highwater mark of simultaneous clients is logged at NOTICE", "[server]") {
    test::TempDir dir;
    test::CaptureLogger log;
    Server server(test::loopback_config(dir.path()), login_handlers(), log);
    REQUIRE(server.start().ok());
    auto a = test::dial(test::port_of(server, ListenerKind::Pop3));
    CHECK(test::first_line(a) == "hello\r\n");
    CHECK_FALSE(log.contains("highwater"));               // 1 is not worth a line
    auto b = test::dial(test::port_of(server, ListenerKind::Pop3));
    CHECK(test::first_line(b) == "hello\r\n");
    CHECK(test::eventually([&] { return log.contains("POP3  New active client highwater mark: 2"); }));
}

TEST_CASE("SMTP-254 POP3-114 thread_counts: sessions left besides the asking one, clients served", "[server]") {
    SessionCounters c;
    c.active = 3;
    c.served = 41;
    CHECK(thread_counts(c) == "(2 threads remain, 41 clients served)");
}

namespace {

// Remembers the level of every line.
class LevelLogger : public Logger {
public:
    void log(LogLevel level, std::string_view text) override {
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.emplace_back(level, std::string(text));
    }
    bool enabled(LogLevel) const override { return true; }
    std::optional<LogLevel> level_of(const std::string& part) const {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& l : lines_)
            if (l.second.find(part) != std::string::npos) return l.first;
        return std::nullopt;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::pair<LogLevel, std::string>> lines_;
};

std::optional<LogLevel> handshake_failure_level(LogLevel tls_error_level) {
    test::TempDir dir;
    LevelLogger log;
    auto cfg = test::loopback_config(dir.path());
    cfg->mail.options = mail_opt::TLS_SUBMISSION;
    cfg->mail.tls_error_level = tls_error_level;
    Server server(cfg, login_handlers(), log);
    REQUIRE(server.start().ok());
    auto c = test::dial(test::port_of(server, ListenerKind::SubmissionTls));
    REQUIRE(send_all(c, "EHLO plain text\r\n\r\n"));
    test::read_all(c, 3s);
    std::optional<LogLevel> level;
    test::eventually([&] { return (level = log.level_of("SMTPS [127.0.0.1] ")).has_value(); });
    return level;
}

} // namespace

TEST_CASE("SMTP-91 a failed TLS handshake is logged at INFO at most, quieter with TLSErrorLevel", "[server]") {
    CHECK(handshake_failure_level(LogLevel::Emergency) == LogLevel::Info);
    CHECK(handshake_failure_level(LogLevel::Debug) == LogLevel::Debug);
}

TEST_CASE("SMTP-256 stop() logs the server summary line once", "[server]") {
    test::TempDir dir;
    test::CaptureLogger log;
    {
        Server server(test::loopback_config(dir.path()), login_handlers(), log);
        REQUIRE(server.start().ok());
        auto a = test::dial(test::port_of(server, ListenerKind::Smtp));
        CHECK(test::first_line(a) == "hello\r\n");
        server.stop();
        CHECK(log.contains("#### Mail Server thread terminated (0 threads remain, 1 clients served"));
    }
    test::CaptureLogger never;
    { Server idle(test::loopback_config(dir.path()), login_handlers(), never); }
    CHECK_FALSE(never.contains("####"));
}
