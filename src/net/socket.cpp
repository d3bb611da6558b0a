// POSIX implementation of Socket and the small connect/pair helpers.
#include "net/socket.h"

#include "net/socket_address.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sbbs {

namespace {

Error errno_error(const std::string& what) {
    return make_error(what + ": " + std::strerror(errno), ErrorCode::Io);
}

using NameFn = int (*)(int, sockaddr*, socklen_t*);

Endpoint endpoint_of(int fd, NameFn fn) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (fd < 0 || fn(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return {};
    auto* sa = reinterpret_cast<const sockaddr*>(&ss);
    return Endpoint{address_text(sa), address_port(sa)};
}

} // namespace

Socket& Socket::operator=(Socket&& other) noexcept {
    if (this != &other) {
        reset();
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

void Socket::reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void Socket::shutdown_both() const {
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

Status Socket::set_nonblocking(bool on) const {
    int flags = ::fcntl(fd_, F_GETFL, 0);
    if (flags < 0) return errno_error("fcntl");
    flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (::fcntl(fd_, F_SETFL, flags) != 0) return errno_error("fcntl");
    return {};
}

Endpoint Socket::peer() const { return endpoint_of(fd_, ::getpeername); }
Endpoint Socket::local() const { return endpoint_of(fd_, ::getsockname); }

Result<std::pair<Socket, Socket>> socket_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return errno_error("socketpair");
    return std::pair<Socket, Socket>{Socket(fds[0]), Socket(fds[1])};
}

Result<Socket> connect_tcp(const std::string& ip, uint16_t port) {
    auto addr = parse_numeric_address(ip, port);
    if (!addr) return addr.error();
    Socket s(::socket(addr->family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!s.valid()) return errno_error("socket");
    if (::connect(s.fd(), addr->get(), addr->length) != 0)
        return errno_error("connect to " + ip + " port " + std::to_string(port));
    return s;
}

bool send_all(const Socket& s, std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::send(s.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

} // namespace sbbs
