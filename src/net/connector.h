// Dialling out: a TCP client connection to a numeric address with a bounded
// connect and an optional local address to bind (OutboundInterface), and a
// deadline on every read, write and TLS handshake; every wait also ends
// soon after a cancel flag is raised (server stop, SEC-5). The client-side
// TLS upgrade is opportunistic unless a peer check is asked for (SEC-6).
// Used by SendMail; POSIX in connector_posix.cpp (the net module is not part
// of the Windows build).
#pragma once

#include "net/session_io.h"
#include "util/result.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sbbs {

// What a client TLS handshake checks of the server.
struct TlsPeerCheck {
    // false: opportunistic, no verification and the most permissive settings
    // (any encryption beats plain text). true: the chain must verify against
    // `ca_file` ("" = the system CA store) and name `host` (a DNS name or an
    // address literal), with TLS 1.2 at least.
    bool verify = false;
    std::string host;
    std::string ca_file;
};

class ClientConnection {
public:
    virtual ~ClientConnection() = default;
    // Next line (CR LF stripped); waits at most `timeout_s` seconds. A line
    // longer than 64 KiB is TooLong (and the connection unusable).
    virtual ReadLine read_line(unsigned timeout_s) = 0;
    // All of `bytes`, or false when the peer stops taking them for the
    // write time-out of ClientOptions (or on cancel).
    virtual bool write(std::string_view bytes) = 0;
    // Client handshake on the open connection, within `timeout_s` seconds.
    virtual Status start_tls(unsigned timeout_s, const TlsPeerCheck& check) = 0;
    virtual bool is_tls() const = 0;
    virtual int socket_number() const = 0;
};

struct ClientConnect {
    std::unique_ptr<ClientConnection> connection;   // null on failure
    int error = 0;                                  // errno-style code on failure
    std::string reason;
};

struct ClientOptions {
    unsigned connect_timeout_s = 30;    // 0 = the system's own connect time-out
    unsigned write_timeout_s = 120;     // each write() call
    std::string bind_ip;                // "" = any; bound for IPv4 destinations
    // Raised from another thread: every wait of the connection ends within
    // a fraction of a second and reports failure. Must outlive it.
    const std::atomic<bool>* cancel = nullptr;
};

// `ip`: IPv4 or IPv6 literal.
ClientConnect connect_client(const std::string& ip, uint16_t port, const ClientOptions& options);

// The first address the system resolver (hosts file, then DNS) gives for
// `name`, as numeric text; "" when it gives none.
std::string system_address(const std::string& name);

} // namespace sbbs
