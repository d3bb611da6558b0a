// The Server on loopback: handlers, MaxClients, stop, reload, implicit TLS.
#include "server/server.h"
#include "net/signals.h"
#include "server_test_support.h"

#include <catch.hpp>

#include <atomic>
#include <condition_variable>

using namespace sbbs;
using namespace std::chrono_literals;

namespace {

// Echoes lines until QUIT or the end of the connection; remembers the
// snapshot and context each session got.
struct EchoState {
    std::mutex m;
    std::vector<ConfigPtr> configs;
    std::vector<SessionContext> contexts;
    std::atomic<int> running{0};
};

class EchoHandler : public SessionHandler {
public:
    explicit EchoHandler(EchoState& st) : st_(st) {}
    void run(SessionIo& io, const SessionContext& ctx) override {
        {
            std::lock_guard<std::mutex> lock(st_.m);
            st_.configs.push_back(ctx.config);
            st_.contexts.push_back(ctx);
        }
        ++st_.running;
        io.write(std::string("hello ") + ctx.protocol + (io.is_tls() ? " tls" : "") + "\r\n");
        for (;;) {
            auto r = io.read_line(100, ctx.max_inactivity_s);
            if (r.status != ReadStatus::Line || r.line == "QUIT") break;
            io.write("echo " + r.line + " " + ctx.config->mail.host_name + "\r\n");
        }
        --st_.running;
    }

private:
    EchoState& st_;
};

SessionHandlers echo_handlers(EchoState& st) {
    SessionHandlers h;
    h.smtp = [&st](ListenerKind) { return std::make_unique<EchoHandler>(st); };
    h.pop3 = h.smtp;
    return h;
}

} // namespace

TEST_CASE("without protocol handlers every listener answers not-yet-available and closes") {
    ignore_sigpipe();
    test::TempDir dir;
    test::CaptureLogger log;
    Server server(test::loopback_config(dir.path()), {}, log);
    REQUIRE(server.start().ok());
    auto smtp = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::read_all(smtp) == "421 mail.test.example SMTP service not yet available, closing transmission channel\r\n");
    auto pop3 = test::dial(test::port_of(server, ListenerKind::Pop3));
    CHECK(test::read_all(pop3) == "-ERR POP3 service not yet available\r\n");
}

TEST_CASE("CFG-59 sessions get their listener kind, protocol and MaxInactivity") {
    test::TempDir dir;
    test::CaptureLogger log;
    EchoState st;
    auto cfg = test::loopback_config(dir.path());
    cfg->mail.max_inactivity_s = 77;
    Server server(cfg, echo_handlers(st), log);
    REQUIRE(server.start().ok());
    auto c = test::dial(test::port_of(server, ListenerKind::Pop3));
    CHECK(test::first_line(c) == "hello POP3\r\n");
    REQUIRE(send_all(c, "QUIT\r\n"));
    test::read_all(c);
    std::lock_guard<std::mutex> lock(st.m);
    REQUIRE(st.contexts.size() == 1);
    CHECK(st.contexts[0].kind == ListenerKind::Pop3);
    CHECK(st.contexts[0].max_inactivity_s == 77);
    CHECK(st.contexts[0].tls_available);
    CHECK_FALSE(st.contexts[0].submission);
}

TEST_CASE("CFG-58 SMTP-18 POP3-9 a connection over MaxClients gets the reply and is closed") {
    test::TempDir dir;
    test::CaptureLogger log;
    EchoState st;
    auto cfg = test::loopback_config(dir.path());
    cfg->mail.max_clients = 2;
    Server server(cfg, echo_handlers(st), log);
    REQUIRE(server.start().ok());
    auto a = test::dial(test::port_of(server, ListenerKind::Smtp));
    auto b = test::dial(test::port_of(server, ListenerKind::Pop3));
    CHECK(test::first_line(a) == "hello SMTP\r\n");
    CHECK(test::first_line(b) == "hello POP3\r\n");
    auto over_smtp = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::read_all(over_smtp) == "421 System Error: Maximum active clients reached, try again later\r\n");
    auto over_pop3 = test::dial(test::port_of(server, ListenerKind::Pop3));
    CHECK(test::read_all(over_pop3) == "-ERR System Error: Maximum active clients reached, try again later\r\n");
    CHECK(log.contains("!MAXIMUM CLIENTS (2) reached, access denied (2 total)"));
    REQUIRE(send_all(a, "QUIT\r\n"));
    test::read_all(a);
    CHECK(test::eventually([&] { return server.counters().active == 1; }));
    auto again = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::first_line(again) == "hello SMTP\r\n");
}

TEST_CASE("POP3-11 a thread per session: concurrent sessions; stop() ends them and joins every thread quickly") {
    test::TempDir dir;
    test::CaptureLogger log;
    EchoState st;
    auto cfg = test::loopback_config(dir.path());
    cfg->mail.max_inactivity_s = 600;
    Server server(cfg, echo_handlers(st), log);
    REQUIRE(server.start().ok());
    std::vector<Socket> clients;
    for (int i = 0; i < 5; ++i) clients.push_back(test::dial(test::port_of(server, ListenerKind::Pop3)));
    REQUIRE(test::eventually([&] { return st.running == 5; }));
    auto t0 = std::chrono::steady_clock::now();
    server.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 2s);
    CHECK(st.running == 0);
    CHECK(server.counters().active == 0);
    CHECK_FALSE(connect_tcp("127.0.0.1", test::port_of(server, ListenerKind::Smtp)).ok());
}

TEST_CASE("reload swaps the snapshot without dropping open sessions, which keep theirs") {
    test::TempDir dir;
    test::CaptureLogger log;
    EchoState st;
    auto cfg = test::loopback_config(dir.path());
    Server server(cfg, echo_handlers(st), log);
    REQUIRE(server.start().ok());
    uint16_t port = test::port_of(server, ListenerKind::Smtp);
    auto old_session = test::dial(port);
    CHECK(test::first_line(old_session) == "hello SMTP\r\n");

    auto next = std::make_shared<Config>(*cfg);
    next->mail.host_name = "new.test.example";
    REQUIRE(server.reload(next).ok());
    CHECK(test::port_of(server, ListenerKind::Smtp) == port);   // same plan: listeners untouched

    REQUIRE(send_all(old_session, "A\r\n"));
    CHECK(test::first_line(old_session) == "echo A mail.test.example\r\n");
    auto new_session = test::dial(port);
    CHECK(test::first_line(new_session) == "hello SMTP\r\n");
    REQUIRE(send_all(new_session, "B\r\n"));
    CHECK(test::first_line(new_session) == "echo B new.test.example\r\n");
}

TEST_CASE("SMTP-14 reload with changed listeners rebinds them, sessions stay open") {
    test::TempDir dir;
    test::CaptureLogger log;
    EchoState st;
    auto cfg = test::loopback_config(dir.path());
    Server server(cfg, echo_handlers(st), log);
    REQUIRE(server.start().ok());
    auto session = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::first_line(session) == "hello SMTP\r\n");
    auto next = std::make_shared<Config>(*cfg);
    next->mail.options = mail_opt::USE_SUBMISSION_PORT;   // POP3 off, submission on
    REQUIRE(server.reload(next).ok());
    auto sub = test::dial(test::port_of(server, ListenerKind::Submission));
    CHECK(test::first_line(sub) == "hello SMTP\r\n");
    for (const auto& l : server.listening()) CHECK_FALSE(is_pop3(l.kind));
    REQUIRE(send_all(session, "still\r\n"));
    CHECK(test::first_line(session) == "echo still mail.test.example\r\n");
    std::lock_guard<std::mutex> lock(st.m);
    CHECK(st.contexts.back().submission);
}

TEST_CASE("CFG-170 a reload that cannot bind keeps the running configuration and listeners") {
    test::TempDir dir;
    test::CaptureLogger log;
    EchoState st;
    auto blocker = open_listener("127.0.0.1", 0);
    REQUIRE(blocker.ok());
    auto cfg = test::loopback_config(dir.path());
    Server server(cfg, echo_handlers(st), log);
    REQUIRE(server.start().ok());
    auto next = std::make_shared<Config>(*cfg);
    next->mail.smtp_port = blocker->local().port;
    next->mail.host_name = "never.test.example";
    CHECK_FALSE(server.reload(next).ok());
    CHECK(server.config()->mail.host_name == "mail.test.example");
    auto c = test::dial(test::port_of(server, ListenerKind::Smtp));
    CHECK(test::first_line(c) == "hello SMTP\r\n");
}

TEST_CASE("CFG-168 start fails when a listener cannot be bound after the retries") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto blocker = open_listener("127.0.0.1", 0);
    REQUIRE(blocker.ok());
    auto cfg = test::loopback_config(dir.path());
    cfg->mail.smtp_port = blocker->local().port;
    cfg->mail.bind_retry_count = 1;
    cfg->mail.bind_retry_delay_s = 0;
    Server server(cfg, {}, log);
    auto s = server.start();
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message.find(std::to_string(blocker->local().port)) != std::string::npos);
}

TEST_CASE("SMTP-12 SMTP-23 the implicit-TLS port handshakes before the handler; plain text there gets nothing") {
    test::TempDir dir;
    test::CaptureLogger log;
    EchoState st;
    auto cfg = test::loopback_config(dir.path());
    cfg->mail.options = mail_opt::TLS_SUBMISSION;
    cfg->mail.max_inactivity_s = 2;
    Server server(cfg, echo_handlers(st), log);
    REQUIRE(server.start().ok());
    auto c = test::dial(test::port_of(server, ListenerKind::SubmissionTls));
    REQUIRE(send_all(c, "EHLO plain\r\n"));
    CHECK(test::read_all(c, 3s).find("hello") == std::string::npos);
    CHECK(st.running == 0);
    std::lock_guard<std::mutex> lock(st.m);
    CHECK(st.contexts.empty());
}
