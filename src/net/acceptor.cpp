// The accept loop: poll() over all listeners plus a wake pipe for stop().
#include "net/acceptor.h"

#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <chrono>
#include <poll.h>
#include <sys/socket.h>

namespace sbbs {

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
