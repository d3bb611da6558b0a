// One thread that accepts connections on every listening socket (poll) and
// hands each new connection, with the index of its listener, to a callback.
#pragma once

#include "net/socket.h"
#include "net/wake_pipe.h"

#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace sbbs {

// One ctrl/sockopts.ini option for accepted sockets (SMTP-263), by the
// original's names: LINGER, the SOL_SOCKET options (KEEPALIVE, SNDBUF, ...),
// the TCP_* options and IPV6_V6ONLY (applied only where its level fits).
struct SocketOption {
    std::string name;
    int value = 0;
};

// Sets each option on `s`; returns the names that are unknown or failed.
std::vector<std::string> apply_socket_options(const Socket& s, const std::vector<SocketOption>& options);

class Acceptor {
public:
    using OnAccept = std::function<void(Socket client, size_t listener_index)>;

    Acceptor(std::vector<Socket> listeners, OnAccept on_accept);
    ~Acceptor();                    // stop()
    Acceptor(const Acceptor&) = delete;
    Acceptor& operator=(const Acceptor&) = delete;

    // Stops accepting, joins the thread and closes the listeners.
    void stop();

private:
    void loop();
    void accept_from(size_t index);

    std::vector<Socket> listeners_;
    OnAccept on_accept_;
    WakePipe wake_;
    std::thread thread_;
};

} // namespace sbbs
