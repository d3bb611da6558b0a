// One outbound SMTP connection as the client dialogue sees it, and the
// factory that opens it; the real one is a TCP socket (+ OpenSSL client),
// tests may substitute their own.
#pragma once

#include "net/connector.h"
#include "net/session_io.h"
#include "util/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sbbs {

class SmtpLink {
public:
    virtual ~SmtpLink() = default;
    // Next reply line (CR LF stripped); waits at most `timeout_s` seconds.
    virtual ReadLine read_line(unsigned timeout_s) = 0;
    // Fails when the peer takes nothing for ConnectRequest::io_timeout_s.
    virtual bool write(std::string_view bytes) = 0;
    virtual Status start_tls(unsigned timeout_s, const TlsPeerCheck& check) = 0;   // client handshake
    virtual bool is_tls() const = 0;
    virtual int socket_number() const = 0;              // log lines only
};

struct ConnectRequest {
    std::string ip;                 // IPv4 or IPv6 literal
    uint16_t port = 25;
    unsigned timeout_s = 30;        // 0 = blocking connect (SEND-39)
    std::string bind_ip;            // OutboundInterface ("" = any)
    unsigned io_timeout_s = 120;    // each write (MaxInactivity)
    // SEC-5: raised when the server stops; the link's waits end promptly.
    const std::atomic<bool>* cancel = nullptr;
};

struct Connected {
    std::unique_ptr<SmtpLink> link; // null on failure
    int error = 0;                  // errno-style code on failure
    std::string reason;
};

class SmtpConnector {
public:
    virtual ~SmtpConnector() = default;
    virtual Connected connect(const ConnectRequest& req) = 0;
};

// The TCP/OpenSSL connector (tcp_connector.cpp over net/connector.h).
std::unique_ptr<SmtpConnector> make_tcp_connector();

} // namespace sbbs
