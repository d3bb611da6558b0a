// POSIX socket/bind/listen for the server's listeners.
#include "net/listener.h"

#include "net/socket_address.h"

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>

namespace sbbs {

namespace {

constexpr int kBacklog = 64;

std::string where(const std::string& ip, uint16_t port) {
    return ip + " port " + std::to_string(port);
}

void set_flag(int fd, int level, int name) {
    int one = 1;
    ::setsockopt(fd, level, name, &one, sizeof one);
}

} // namespace

Result<Socket> open_listener(const std::string& ip, uint16_t port) {
    auto addr = parse_numeric_address(ip, port);
    if (!addr) return addr.error();
    Socket s(::socket(addr->family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!s.valid())
        return make_error("socket for " + where(ip, port) + ": " + std::strerror(errno), ErrorCode::Io);
    set_flag(s.fd(), SOL_SOCKET, SO_REUSEADDR);
    if (addr->family() == AF_INET6) set_flag(s.fd(), IPPROTO_IPV6, IPV6_V6ONLY);
    if (::bind(s.fd(), addr->get(), addr->length) != 0)
        return make_error("bind to " + where(ip, port) + " failed: " + std::strerror(errno), ErrorCode::Io);
    if (::listen(s.fd(), kBacklog) != 0)
        return make_error("listen on " + where(ip, port) + " failed: " + std::strerror(errno), ErrorCode::Io);
    return s;
}

Result<Socket> open_listener_retrying(const std::string& ip, uint16_t port, const BindRetry& retry,
                                      const std::string& label, Logger& log, StopFlag& stop) {
    for (uint32_t attempt = 0;; ++attempt) {
        auto s = open_listener(ip, port);
        if (s || attempt >= retry.count) return s;
        log.log(LogLevel::Warning, label + " !" + s.error().message + ", retrying in " +
                                       std::to_string(retry.delay_s) + " seconds");
        if (stop.wait_for(std::chrono::seconds(retry.delay_s))) return s;
    }
}

} // namespace sbbs
