// Dialling out: a TCP client connection to a numeric address with a bounded
// connect and an optional local address to bind (OutboundInterface), line
// reads with a time-out, and a client-side TLS upgrade (opportunistic: no
// certificate verification). Used by SendMail; POSIX in connector_posix.cpp
// (the net module is not part of the Windows build).
#pragma once

#include "net/session_io.h"
#include "util/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sbbs {

class ClientConnection {
public:
    virtual ~ClientConnection() = default;
    // Next line (CR LF stripped); waits at most `timeout_s` seconds.
    virtual ReadLine read_line(unsigned timeout_s) = 0;
    virtual bool write(std::string_view bytes) = 0;
    // Client handshake on the open connection; no certificate verification
    // and the most permissive settings (any encryption beats plain text).
    virtual Status start_tls(unsigned timeout_s) = 0;
    virtual bool is_tls() const = 0;
    virtual int socket_number() const = 0;
};

struct ClientConnect {
    std::unique_ptr<ClientConnection> connection;   // null on failure
    int error = 0;                                  // errno-style code on failure
    std::string reason;
};

// `ip`: IPv4 or IPv6 literal. `timeout_s` 0 = a blocking connect. `bind_ip`
// ("" = any) is bound for IPv4 destinations.
ClientConnect connect_client(const std::string& ip, uint16_t port, unsigned timeout_s, const std::string& bind_ip);

// The first address the system resolver (hosts file, then DNS) gives for
// `name`, as numeric text; "" when it gives none.
std::string system_address(const std::string& name);

} // namespace sbbs
