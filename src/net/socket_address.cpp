// Numeric address parsing and printing (inet_pton/inet_ntop) for IPv4 and IPv6.
#include "net/socket_address.h"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>

namespace sbbs {

namespace {

std::string strip_brackets(const std::string& text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        return text.substr(1, text.size() - 2);
    return text;
}

// First octet of an IPv4 address in network order.
bool v4_is_this_host(const uint8_t* octets) { return octets[0] == 127 || octets[0] == 0; }

} // namespace

Result<SockAddr> parse_numeric_address(const std::string& text, uint16_t port) {
    SockAddr out;
    std::string ip = strip_brackets(text);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
    if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        out.length = sizeof(sockaddr_in);
        return out;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
    if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        out.length = sizeof(sockaddr_in6);
        return out;
    }
    return make_error("'" + text + "' is not a numeric IPv4 or IPv6 address", ErrorCode::Invalid);
}

std::string address_text(const sockaddr* sa) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (sa->sa_family == AF_INET) {
        auto* v4 = reinterpret_cast<const sockaddr_in*>(sa);
        inet_ntop(AF_INET, &v4->sin_addr, buf, sizeof buf);
        return buf;
    }
    if (sa->sa_family == AF_INET6) {
        auto* v6 = reinterpret_cast<const sockaddr_in6*>(sa);
        if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
            in_addr v4{};
            std::memcpy(&v4, v6->sin6_addr.s6_addr + 12, sizeof v4);
            inet_ntop(AF_INET, &v4, buf, sizeof buf);
        } else {
            inet_ntop(AF_INET6, &v6->sin6_addr, buf, sizeof buf);
        }
        return buf;
    }
    return "";
}

bool is_this_host(const SockAddr& a) {
    if (a.family() == AF_INET)
        return v4_is_this_host(reinterpret_cast<const uint8_t*>(&reinterpret_cast<const sockaddr_in*>(a.get())->sin_addr));
    if (a.family() != AF_INET6) return false;
    const in6_addr& v6 = reinterpret_cast<const sockaddr_in6*>(a.get())->sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&v6) || IN6_IS_ADDR_UNSPECIFIED(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v4_is_this_host(v6.s6_addr + 12);
}

uint16_t address_port(const sockaddr* sa) {
    if (sa->sa_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(sa)->sin_port);
    if (sa->sa_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port);
    return 0;
}

} // namespace sbbs
