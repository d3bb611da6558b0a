// The POSIX client connection (see connector.h): a TCP socket with a
// bounded connect, line reads with a time-out, and an OpenSSL client session.
#include "net/connector.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
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

// Opportunistic TLS: no verification and the most permissive settings
// (SendMail's STARTTLS, SEND-51): any encryption beats plain text here.
SSL_CTX* client_ctx() {
    static std::unique_ptr<SSL_CTX, SslCtxFree> ctx([] {
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

class TcpConnection : public ClientConnection {
public:
    explicit TcpConnection(int fd) : fd_(fd) {}
    ~TcpConnection() override {
        ssl_.reset();
        if (fd_ >= 0) ::close(fd_);
    }
    TcpConnection(const TcpConnection&) = delete;
    TcpConnection& operator=(const TcpConnection&) = delete;

    ReadLine read_line(unsigned timeout_s) override {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
        for (;;) {
            auto nl = buf_.find('\n');
            if (nl != std::string::npos) {
                std::string line = buf_.substr(0, nl);
                buf_.erase(0, nl + 1);
                if (!line.empty() && line.back() == '\r') line.pop_back();
                return {ReadStatus::Line, std::move(line)};
            }
            if (buf_.size() > 65536) return {ReadStatus::TooLong, {}};
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return {ReadStatus::Timeout, {}};
            if (!(ssl_ && SSL_pending(ssl_.get()) > 0)) {
                pollfd p{fd_, POLLIN, 0};
                int rc = ::poll(&p, 1, int(left.count()));
                if (rc == 0) return {ReadStatus::Timeout, {}};
                if (rc < 0) {
                    if (errno == EINTR) continue;
                    return {ReadStatus::Error, {}};
                }
            }
            char chunk[4096];
            SigpipeGuard guard;
            long n = ssl_ ? SSL_read(ssl_.get(), chunk, sizeof chunk) : ::recv(fd_, chunk, sizeof chunk, 0);
            if (n == 0) return {ReadStatus::Closed, {}};
            if (n < 0) {
                if (!ssl_ && (errno == EINTR || errno == EAGAIN)) continue;
                if (ssl_) {
                    int e = SSL_get_error(ssl_.get(), int(n));
                    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) continue;
                }
                return {ReadStatus::Error, {}};
            }
            buf_.append(chunk, size_t(n));
        }
    }

    bool write(std::string_view bytes) override {
        SigpipeGuard guard;
        while (!bytes.empty()) {
            long n = ssl_ ? SSL_write(ssl_.get(), bytes.data(), int(bytes.size()))
                          : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                if (!ssl_ && n < 0 && errno == EINTR) continue;
                return false;
            }
            bytes.remove_prefix(size_t(n));
        }
        return true;
    }

    Status start_tls(unsigned timeout_s) override {
        SSL_CTX* ctx = client_ctx();
        if (!ctx) return make_error("TLS library initialisation failed");
        std::unique_ptr<SSL, SslFree> s(SSL_new(ctx));
        if (!s || SSL_set_fd(s.get(), fd_) != 1) return make_error("TLS session creation failed");
        timeval tv{long(timeout_s), 0};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        ERR_clear_error();
        SigpipeGuard guard;
        int rc = SSL_connect(s.get());
        if (rc != 1) {
            char err[256] = "handshake failed";
            if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, err, sizeof err);
            return make_error(std::string("TLS handshake: ") + err);
        }
        buf_.clear();
        ssl_ = std::move(s);
        return {};
    }

    bool is_tls() const override { return ssl_ != nullptr; }
    int socket_number() const override { return fd_; }

private:
    int fd_;
    std::unique_ptr<SSL, SslFree> ssl_;
    std::string buf_;
};

// Wait for a non-blocking connect; 0 or the errno.
int finish_connect(int fd, unsigned timeout_s) {
    pollfd p{fd, POLLOUT, 0};
    int rc;
    do rc = ::poll(&p, 1, int(timeout_s * 1000)); while (rc < 0 && errno == EINTR);
    if (rc == 0) return ETIMEDOUT;
    if (rc < 0) return errno;
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    return err;
}

} // namespace

ClientConnect connect_client(const std::string& ip, uint16_t port, unsigned timeout_s, const std::string& bind_ip) {
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
    int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return {nullptr, errno, std::strerror(errno)};
    auto conn = std::make_unique<TcpConnection>(fd);   // owns fd from here on
    if (!bind_ip.empty() && ss.ss_family == AF_INET) {
        sockaddr_in b{};
        b.sin_family = AF_INET;
        if (inet_pton(AF_INET, bind_ip.c_str(), &b.sin_addr) == 1 &&
            ::bind(fd, reinterpret_cast<sockaddr*>(&b), sizeof b) != 0)
            return {nullptr, errno, std::string("bind: ") + std::strerror(errno)};
    }
    int err = 0;
    if (timeout_s > 0) {
        int fl = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0)
            err = errno == EINPROGRESS ? finish_connect(fd, timeout_s) : errno;
        fcntl(fd, F_SETFL, fl);
    } else if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
        err = errno;
    }
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
