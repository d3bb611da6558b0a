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

const OptionName kOptions[] = {
    {"KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE},     {"SNDBUF", SOL_SOCKET, SO_SNDBUF},
    {"RCVBUF", SOL_SOCKET, SO_RCVBUF},           {"SNDLOWAT", SOL_SOCKET, SO_SNDLOWAT},
    {"RCVLOWAT", SOL_SOCKET, SO_RCVLOWAT},       {"DONTROUTE", SOL_SOCKET, SO_DONTROUTE},
    {"OOBINLINE", SOL_SOCKET, SO_OOBINLINE},     {"TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY},
    {"TCP_KEEPIDLE", IPPROTO_TCP, TCP_KEEPIDLE}, {"TCP_KEEPINTVL", IPPROTO_TCP, TCP_KEEPINTVL},
    {"TCP_KEEPCNT", IPPROTO_TCP, TCP_KEEPCNT},
};

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
                    rc = ::setsockopt(s.fd(), known.level, known.option, &o.value, sizeof o.value);
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
