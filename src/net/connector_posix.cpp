// The POSIX client connection (see connector.h): a non-blocking TCP socket
// whose every wait has a deadline and notices a cancel, and an OpenSSL
// client session (opportunistic, or verifying the server for the relay).
#include "net/connector.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <csignal>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sbbs {
namespace {

struct SslCtxFree { void operator()(SSL_CTX* c) const { SSL_CTX_free(c); } };
struct SslFree { void operator()(SSL* s) const { SSL_free(s); } };
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

// Opportunistic TLS: no verification and the most permissive settings
// (SendMail's STARTTLS, SEND-51): any encryption beats plain text here.
SSL_CTX* opportunistic_ctx() {
    static SslCtxPtr ctx([] {
        SSL_CTX* c = SSL_CTX_new(TLS_client_method());
        if (c) {
            SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
            SSL_CTX_set_security_level(c, 0);
            SSL_CTX_set_min_proto_version(c, 0);
        }
        return c;
    }());
    return ctx.get();
}

// A verifying context (SEC-6), made per handshake: only relay sessions ask
// for one, and the CA file may differ between them.
Result<SslCtxPtr> verifying_ctx(const std::string& ca_file) {
    SslCtxPtr c(SSL_CTX_new(TLS_client_method()));
    if (!c) return make_error("TLS library initialisation failed");
    SSL_CTX_set_min_proto_version(c.get(), TLS1_2_VERSION);
    SSL_CTX_set_verify(c.get(), SSL_VERIFY_PEER, nullptr);
    int loaded = ca_file.empty() ? SSL_CTX_set_default_verify_paths(c.get())
                                 : SSL_CTX_load_verify_locations(c.get(), ca_file.c_str(), nullptr);
    if (loaded != 1) return make_error("cannot load the CA certificates" + (ca_file.empty() ? "" : " of " + ca_file));
    return c;
}

// The session's expected server name: an address literal is matched against
// the certificate's IP entries, a name against its DNS names (and sent as SNI).
bool expect_peer(SSL* s, const std::string& host) {
    in6_addr any;
    bool literal = inet_pton(AF_INET, host.c_str(), &any) == 1 || inet_pton(AF_INET6, host.c_str(), &any) == 1;
    if (literal) return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(s), host.c_str()) == 1;
    return SSL_set_tlsext_host_name(s, host.c_str()) == 1 && SSL_set1_host(s, host.c_str()) == 1;
}

// OpenSSL writes with plain send(): a peer that hung up would raise SIGPIPE.
// Block it on this thread around TLS calls and swallow one raised meanwhile.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &set_, &old_);
    }
    ~SigpipeGuard() {
        if (!was_pending_) {
            sigset_t pending;
            sigpending(&pending);
            timespec zero{0, 0};
            if (sigismember(&pending, SIGPIPE) == 1) sigtimedwait(&set_, nullptr, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

private:
    sigset_t set_, old_;
    bool was_pending_ = false;
};

using Clock = std::chrono::steady_clock;
constexpr int kSliceMs = 200;               // how soon a cancel is seen
constexpr size_t kMaxLine = 65536;

enum class Wait { Ready, Timeout, Cancelled, Error };

// Waits for `events` on `fd` until `deadline`, in slices so that a raised
// cancel flag ends the wait promptly.
Wait wait_until(int fd, short events, Clock::time_point deadline, const std::atomic<bool>* cancel) {
    for (;;) {
        if (cancel && cancel->load()) return Wait::Cancelled;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return Wait::Timeout;
        pollfd p{fd, events, 0};
        int rc = ::poll(&p, 1, int(left < kSliceMs ? left : kSliceMs));
        if (rc > 0) return Wait::Ready;
        if (rc < 0 && errno != EINTR) return Wait::Error;
    }
}

// The socket is non-blocking from connect on: every read, write and
// handshake step waits through wait_until, so none outlives its deadline.
class TcpConnection : public ClientConnection {
public:
    TcpConnection(int fd, const ClientOptions& o) : fd_(fd), write_timeout_s_(o.write_timeout_s), cancel_(o.cancel) {}
    ~TcpConnection() override {
        ssl_.reset();
        if (fd_ >= 0) ::close(fd_);
    }
    TcpConnection(const TcpConnection&) = delete;
    TcpConnection& operator=(const TcpConnection&) = delete;

    ReadLine read_line(unsigned timeout_s) override {
        auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
        for (;;) {
            auto nl = buf_.find('\n');
            if (nl != std::string::npos) {
                std::string line = buf_.substr(0, nl);
                buf_.erase(0, nl + 1);
                if (!line.empty() && line.back() == '\r') line.pop_back();
                return {ReadStatus::Line, std::move(line)};
            }
            if (buf_.size() > kMaxLine) return {ReadStatus::TooLong, {}};
            char chunk[4096];
            SigpipeGuard guard;
            long n = ssl_ ? SSL_read(ssl_.get(), chunk, sizeof chunk) : ::recv(fd_, chunk, sizeof chunk, 0);
            if (n > 0) {
                buf_.append(chunk, size_t(n));
                continue;
            }
            if (n == 0 && !ssl_) return {ReadStatus::Closed, {}};
            switch (await(n, POLLIN, deadline)) {
            case Wait::Ready: continue;
            case Wait::Timeout: return {ReadStatus::Timeout, {}};
            case Wait::Cancelled:
            case Wait::Error: return {n == 0 ? ReadStatus::Closed : ReadStatus::Error, {}};
            }
        }
    }

    bool write(std::string_view bytes) override {
        auto deadline = Clock::now() + std::chrono::seconds(write_timeout_s_);
        SigpipeGuard guard;
        while (!bytes.empty()) {
            long n = ssl_ ? SSL_write(ssl_.get(), bytes.data(), int(bytes.size()))
                          : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n > 0) {
                bytes.remove_prefix(size_t(n));
                continue;
            }
            if (await(n, POLLOUT, deadline) != Wait::Ready) return false;
        }
        return true;
    }

    Status start_tls(unsigned timeout_s, const TlsPeerCheck& check) override {
        SslCtxPtr own;
        SSL_CTX* ctx = opportunistic_ctx();
        if (check.verify) {
            auto v = verifying_ctx(check.ca_file);
            if (!v) return v.error();
            own = std::move(*v);
            ctx = own.get();
        }
        if (!ctx) return make_error("TLS library initialisation failed");
        std::unique_ptr<SSL, SslFree> s(SSL_new(ctx));
        if (!s || SSL_set_fd(s.get(), fd_) != 1) return make_error("TLS session creation failed");
        if (check.verify && !expect_peer(s.get(), check.host)) return make_error("TLS: bad server name " + check.host);
        auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
        ERR_clear_error();
        SigpipeGuard guard;
        for (;;) {
            int rc = SSL_connect(s.get());
            if (rc == 1) break;
            int e = SSL_get_error(s.get(), rc);
            short events = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
            Wait w = events ? wait_until(fd_, events, deadline, cancel_) : Wait::Error;
            if (w == Wait::Ready) continue;
            if (w == Wait::Timeout) return make_error("TLS handshake: timed out");
            if (w == Wait::Cancelled) return make_error("TLS handshake: cancelled");
            return make_error("TLS handshake: " + handshake_error(s.get()));
        }
        buf_.clear();
        ssl_ = std::move(s);
        return {};
    }

    bool is_tls() const override { return ssl_ != nullptr; }
    int socket_number() const override { return fd_; }

private:
    // After a read or write that moved nothing (`n` its result): waits for
    // the socket to be ready again, or says why not.
    Wait await(long n, short plain_events, Clock::time_point deadline) {
        short events = 0;
        if (ssl_) {
            int e = SSL_get_error(ssl_.get(), int(n));
            if (e == SSL_ERROR_WANT_READ) events = POLLIN;
            else if (e == SSL_ERROR_WANT_WRITE) events = POLLOUT;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            events = plain_events;
        }
        return events ? wait_until(fd_, events, deadline, cancel_) : Wait::Error;
    }

    static std::string handshake_error(SSL* s) {
        long v = SSL_get_verify_result(s);
        if (v != X509_V_OK) return std::string("certificate not accepted: ") + X509_verify_cert_error_string(v);
        char err[256] = "handshake failed";
        if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, err, sizeof err);
        return err;
    }

    int fd_;
    unsigned write_timeout_s_;
    const std::atomic<bool>* cancel_;
    std::unique_ptr<SSL, SslFree> ssl_;
    std::string buf_;
};

// Waits for the non-blocking connect; 0 or the errno. Without a time-out of
// ours the system's own one ends it (it still notices a cancel).
int finish_connect(int fd, unsigned timeout_s, const std::atomic<bool>* cancel) {
    auto deadline = Clock::now() + std::chrono::seconds(timeout_s ? timeout_s : 24 * 3600);
    switch (wait_until(fd, POLLOUT, deadline, cancel)) {
    case Wait::Ready: break;
    case Wait::Timeout: return ETIMEDOUT;
    case Wait::Cancelled: return ECANCELED;
    case Wait::Error: return errno;
    }
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    return err;
}

} // namespace

ClientConnect connect_client(const std::string& ip, uint16_t port, const ClientOptions& options) {
    sockaddr_storage ss{};
    socklen_t len = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
    if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        len = sizeof *v4;
    } else if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        len = sizeof *v6;
    } else {
        return {nullptr, EINVAL, "invalid address: " + ip};
    }
    int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return {nullptr, errno, std::strerror(errno)};
    auto conn = std::make_unique<TcpConnection>(fd, options);   // owns fd from here on
    if (!options.bind_ip.empty() && ss.ss_family == AF_INET) {
        sockaddr_in b{};
        b.sin_family = AF_INET;
        if (inet_pton(AF_INET, options.bind_ip.c_str(), &b.sin_addr) == 1 &&
            ::bind(fd, reinterpret_cast<sockaddr*>(&b), sizeof b) != 0)
            return {nullptr, errno, std::string("bind: ") + std::strerror(errno)};
    }
    int err = 0;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0)
        err = errno == EINPROGRESS ? finish_connect(fd, options.connect_timeout_s, options.cancel) : errno;
    if (err) return {nullptr, err, std::strerror(err)};
    return {std::move(conn), 0, {}};
}

std::string system_address(const std::string& name) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(name.c_str(), nullptr, &hints, &res) != 0 || !res) return {};
    char buf[INET6_ADDRSTRLEN] = {};
    const void* addr = res->ai_family == AF_INET
                           ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr)
                           : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(res->ai_addr)->sin6_addr);
    std::string out = inet_ntop(res->ai_family, addr, buf, sizeof buf) ? buf : "";
    freeaddrinfo(res);
    return out;
}

} // namespace sbbs
