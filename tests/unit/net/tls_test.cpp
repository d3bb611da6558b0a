// TLS over loopback: self-signed generation, handshake, STARTTLS, protocol floor.
#include "net/listener.h"
#include "net/signals.h"
#include "net/socket_session_io.h"
#include "net/tls.h"
#include "net_test_support.h"

#include <catch.hpp>

#include <future>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/stat.h>

using namespace sbbs;

namespace {

// One generated pair for the whole binary (RSA generation is slow-ish).
const test::TempDir& tls_dir() {
    static test::TempDir dir;
    static bool made = [] {
        auto s = generate_self_signed(dir.file("cert.pem"), dir.file("key.pem"), "mail.test.example");
        return s.ok();
    }();
    REQUIRE(made);
    return dir;
}

std::shared_ptr<TlsContext> server_ctx() {
    auto ctx = TlsContext::from_pem(tls_dir().file("cert.pem"), tls_dir().file("key.pem"));
    REQUIRE(ctx.ok());
    return *ctx;
}

struct Loopback {
    Socket client;
    std::unique_ptr<SocketSessionIo> server;
    explicit Loopback(std::shared_ptr<TlsContext> ctx) {
        ignore_sigpipe();
        auto l = open_listener("127.0.0.1", 0);
        REQUIRE(l.ok());
        auto c = connect_tcp("127.0.0.1", l->local().port);
        REQUIRE(c.ok());
        client = std::move(*c);
        Socket accepted(::accept(l->fd(), nullptr, nullptr));
        REQUIRE(accepted.valid());
        server = std::make_unique<SocketSessionIo>(std::move(accepted), ctx);
    }
};

struct SslFree { void operator()(SSL* s) const { SSL_free(s); } };
struct CtxFree { void operator()(SSL_CTX* c) const { SSL_CTX_free(c); } };

// A blocking OpenSSL client on `fd`; max_version 0 = library default.
struct TlsClient {
    std::unique_ptr<SSL_CTX, CtxFree> ctx{SSL_CTX_new(TLS_client_method())};
    std::unique_ptr<SSL, SslFree> ssl;
    bool connect(int fd, int max_version = 0) {
        if (max_version) {
            SSL_CTX_set_min_proto_version(ctx.get(), 0);
            SSL_CTX_set_max_proto_version(ctx.get(), max_version);
            SSL_CTX_set_security_level(ctx.get(), 0);
        }
        ssl.reset(SSL_new(ctx.get()));
        SSL_set_fd(ssl.get(), fd);
        return SSL_connect(ssl.get()) == 1;
    }
    bool send(const std::string& s) { return SSL_write(ssl.get(), s.data(), static_cast<int>(s.size())) > 0; }
    std::string recv() {
        char buf[256];
        int n = SSL_read(ssl.get(), buf, sizeof buf);
        return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
    }
};

} // namespace

TEST_CASE("tls: the generated key file is private to its owner") {
    struct stat st {};
    REQUIRE(::stat(tls_dir().file("key.pem").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(server_ctx() != nullptr);
}

TEST_CASE("tls: a context from a missing file names the file") {
    auto ctx = TlsContext::from_pem(tls_dir().file("nope.pem"), tls_dir().file("key.pem"));
    REQUIRE_FALSE(ctx.ok());
    CHECK(ctx.error().message.find("nope.pem") != std::string::npos);
}

TEST_CASE("tls: handshake over loopback, then lines both ways") {
    Loopback lb(server_ctx());
    TlsClient client;
    auto fut = std::async(std::launch::async, [&] {
        bool ok = client.connect(lb.client.fd());
        return ok && client.send("EHLO x\r\n") ? client.recv() : std::string();
    });
    REQUIRE(lb.server->start_tls().ok());
    CHECK(lb.server->is_tls());
    auto line = lb.server->read_line(512, 5);
    CHECK(line.status == ReadStatus::Line);
    CHECK(line.line == "EHLO x");
    REQUIRE(lb.server->write("250 ok\r\n"));
    CHECK(fut.get() == "250 ok\r\n");
}

TEST_CASE("tls: plain text buffered before STARTTLS is discarded, not read as protected") {
    Loopback lb(server_ctx());
    REQUIRE(send_all(lb.client, "STARTTLS\r\nINJECTED\r\n"));
    CHECK(lb.server->read_line(512, 5).line == "STARTTLS");
    TlsClient client;
    auto fut = std::async(std::launch::async, [&] {
        return client.connect(lb.client.fd()) && client.send("NOOP\r\n");
    });
    // The INJECTED line already sits in the server's buffer; a correct
    // start_tls drops it, so the handshake sees only the client's hello.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(lb.server->input_pending());
    REQUIRE(lb.server->start_tls().ok());
    REQUIRE(fut.get());
    CHECK(lb.server->read_line(512, 5).line == "NOOP");
}

TEST_CASE("tls: a TLS 1.1 client is refused") {
    Loopback lb(server_ctx());
    TlsClient client;
    auto fut = std::async(std::launch::async, [&] { return client.connect(lb.client.fd(), TLS1_1_VERSION); });
    CHECK_FALSE(lb.server->start_tls().ok());
    CHECK_FALSE(lb.server->is_tls());
    lb.server.reset();   // closes the server end so the client's handshake ends
    CHECK_FALSE(fut.get());
}

TEST_CASE("tls: a client that never speaks TLS times out the handshake") {
    auto l = open_listener("127.0.0.1", 0);
    REQUIRE(l.ok());
    auto c = connect_tcp("127.0.0.1", l->local().port);
    REQUIRE(c.ok());
    Socket accepted(::accept(l->fd(), nullptr, nullptr));
    SessionIoOptions opts;
    opts.handshake_timeout_s = 1;
    SocketSessionIo quick(std::move(accepted), server_ctx(), opts);
    auto t0 = std::chrono::steady_clock::now();
    auto s = quick.start_tls();
    CHECK_FALSE(s.ok());
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(4));
}
