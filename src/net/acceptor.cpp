// The accept loop: poll() over all listeners plus a wake pipe for stop().
#include "net/acceptor.h"

#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <chrono>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>

namespace sbbs {

namespace {

struct OptionName {
    const char* name;
    int level, option;
};

// The names ctrl/sockopts.ini may use. IPv6-level options only fit an IPv6
// socket that is not yet connected: the stock file's root IPV6_V6ONLY = 1
// must not fail on every IPv4 session (issue #13); listeners set it anyway.
const OptionName kOptions[] = {
    {"KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE},     {"SNDBUF", SOL_SOCKET, SO_SNDBUF},
    {"RCVBUF", SOL_SOCKET, SO_RCVBUF},           {"SNDLOWAT", SOL_SOCKET, SO_SNDLOWAT},
    {"RCVLOWAT", SOL_SOCKET, SO_RCVLOWAT},       {"DONTROUTE", SOL_SOCKET, SO_DONTROUTE},
    {"OOBINLINE", SOL_SOCKET, SO_OOBINLINE},     {"REUSEADDR", SOL_SOCKET, SO_REUSEADDR},
    {"BROADCAST", SOL_SOCKET, SO_BROADCAST},     {"DEBUG", SOL_SOCKET, SO_DEBUG},
    {"TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY},   {"TCP_KEEPIDLE", IPPROTO_TCP, TCP_KEEPIDLE},
    {"TCP_KEEPINTVL", IPPROTO_TCP, TCP_KEEPINTVL}, {"TCP_KEEPCNT", IPPROTO_TCP, TCP_KEEPCNT},
    {"TCP_CORK", IPPROTO_TCP, TCP_CORK},         {"TCP_SYNCNT", IPPROTO_TCP, TCP_SYNCNT},
    {"TCP_LINGER2", IPPROTO_TCP, TCP_LINGER2},   {"TCP_DEFER_ACCEPT", IPPROTO_TCP, TCP_DEFER_ACCEPT},
    {"TCP_WINDOW_CLAMP", IPPROTO_TCP, TCP_WINDOW_CLAMP}, {"TCP_QUICKACK", IPPROTO_TCP, TCP_QUICKACK},
    {"IPV6_V6ONLY", IPPROTO_IPV6, IPV6_V6ONLY},
};

// An IPv6-level option fits only an IPv6 socket not yet connected.
bool fits(const Socket& s, const OptionName& o) {
    if (o.level != IPPROTO_IPV6) return true;
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(s.fd(), reinterpret_cast<sockaddr*>(&addr), &len) != 0 || addr.ss_family != AF_INET6)
        return false;
    len = sizeof addr;
    return ::getpeername(s.fd(), reinterpret_cast<sockaddr*>(&addr), &len) != 0;
}

bool same_name(const std::string& a, const char* b) {
    return ::strcasecmp(a.c_str(), b) == 0;
}

} // namespace

std::vector<std::string> apply_socket_options(const Socket& s, const std::vector<SocketOption>& options) {
    std::vector<std::string> failed;
    for (const auto& o : options) {
        int rc = -1;
        if (same_name(o.name, "LINGER")) {   // seconds; 0 turns lingering off
            linger l{o.value > 0 ? 1 : 0, o.value > 0 ? o.value : 0};
            rc = ::setsockopt(s.fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
        } else {
            for (const auto& known : kOptions)
                if (same_name(o.name, known.name)) {
                    rc = fits(s, known) ? ::setsockopt(s.fd(), known.level, known.option, &o.value, sizeof o.value)
                                        : 0;
                    break;
                }
        }
        if (rc != 0) failed.push_back(o.name);
    }
    return failed;
}

Acceptor::Acceptor(std::vector<Socket> listeners, OnAccept on_accept)
    : listeners_(std::move(listeners)), on_accept_(std::move(on_accept)) {
    for (auto& l : listeners_) (void)l.set_nonblocking(true);
    thread_ = std::thread([this] { loop(); });
}

Acceptor::~Acceptor() { stop(); }

void Acceptor::stop() {
    if (!thread_.joinable()) return;
    wake_.notify();
    thread_.join();
    listeners_.clear();
}

void Acceptor::loop() {
    std::vector<pollfd> fds;
    for (auto& l : listeners_) fds.push_back(pollfd{l.fd(), POLLIN, 0});
    fds.push_back(pollfd{wake_.read_fd(), POLLIN, 0});
    for (;;) {
        int n = ::poll(fds.data(), fds.size(), -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || fds.back().revents) return;
        for (size_t i = 0; i < listeners_.size(); ++i)
            if (fds[i].revents & POLLIN) accept_from(i);
    }
}

void Acceptor::accept_from(size_t index) {
    for (int burst = 0; burst < 64; ++burst) {   // bounded: other listeners get their turn
        Socket client(::accept4(listeners_[index].fd(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!client.valid()) {
            // Out of descriptors: pause instead of spinning on a readable listener.
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            return;   // EAGAIN, or a connection that died in the queue
        }
        // Replies are written whole and flushed when the client waits
        // (PIPELINING); Nagle would hold each one for the peer's delayed ACK.
        int one = 1;
        (void)::setsockopt(client.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        on_accept_(std::move(client), index);
    }
}

} // namespace sbbs
