// Numeric address text <-> sockaddr, for binding and for log lines.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <string>
#include <sys/socket.h>

namespace sbbs {

struct SockAddr {
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family() const { return storage.ss_family; }
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

// "127.0.0.1", "::", "[::1]" (brackets allowed); names are not resolved.
Result<SockAddr> parse_numeric_address(const std::string& text, uint16_t port);
// Text of an address and its port; an IPv4-mapped IPv6 address becomes IPv4.
std::string address_text(const sockaddr* sa);
uint16_t address_port(const sockaddr* sa);
// This host whatever its spelling: loopback (127.0.0.0/8, ::1), "this
// network" / unspecified (0.0.0.0/8, ::), and the IPv4-mapped IPv6 forms of
// the IPv4 ones. Connecting to any of them reaches a service on this machine.
bool is_this_host(const SockAddr& a);

} // namespace sbbs
