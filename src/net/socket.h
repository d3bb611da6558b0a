// A TCP socket that closes itself (RAII), and the address text of its ends.
// Everything POSIX about sockets stays behind this header and its .cpp.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <string>
#include <utility>

namespace sbbs {

struct Endpoint {
    std::string ip;      // numeric text; an IPv4-mapped IPv6 peer is shown as IPv4
    uint16_t port = 0;
};

class Socket {
public:
    Socket() = default;
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() { reset(); }
    Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Socket& operator=(Socket&& other) noexcept;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;

    bool valid() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    void reset();
    // Ends both directions without closing the descriptor, so a thread that
    // waits on it wakes up and sees the end of the connection.
    void shutdown_both() const;
    Status set_nonblocking(bool on) const;

    Endpoint peer() const;
    Endpoint local() const;

private:
    int fd_ = -1;
};

// A connected pair of local stream sockets (tests and in-process pipes).
Result<std::pair<Socket, Socket>> socket_pair();
// Blocking connect to a numeric address (tests, and later outbound use).
Result<Socket> connect_tcp(const std::string& ip, uint16_t port);
// Sends all of `bytes` on a blocking socket; false on error.
bool send_all(const Socket& s, std::string_view bytes);

} // namespace sbbs
