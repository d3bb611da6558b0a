// A hostile SMTP server on 127.0.0.1 for SEC-5 tests: it answers up to DATA
// with 354 and then stops reading, with a tiny receive buffer, so the
// client's writes of a large message stall. release() hangs up (which also
// frees a client that has no write deadline of its own).
#pragma once

#include "fake_smtp_server.h"

#include <atomic>
#include <chrono>
#include <cstring>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace sbbs::test {

class StallingServer {
public:
    StallingServer() {
        fd_ = listen_on_loopback(port_, 4096);   // a tiny window: the client's writes stall soon
        thread_ = std::thread([this] { serve(); });
    }
    ~StallingServer() {
        release();
        if (thread_.joinable()) thread_.join();
        close(fd_);
    }
    uint16_t port() const { return port_; }
    bool stalled() const { return stalled_; }
    void release() { released_ = true; }

private:
    void serve() {
        for (int i = 0; i < 600 && !released_; ++i) {   // at most 30 s for the client to come
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) continue;
            int c = accept(fd_, nullptr, nullptr);
            if (c < 0) continue;
            converse(c);
            close(c);
            return;
        }
    }
    void converse(int c) {
        auto put = [&](const char* s) { send(c, s, strlen(s), MSG_NOSIGNAL); };
        put("220 stall.test ESMTP\r\n");
        std::string buf;
        for (int waited = 0; waited < 600 && !released_;) {
            auto nl = buf.find('\n');
            if (nl == std::string::npos) {
                pollfd p{c, POLLIN, 0};
                if (poll(&p, 1, 50) <= 0) { ++waited; continue; }
                char b[512];
                long n = recv(c, b, sizeof b, 0);
                if (n <= 0) return;
                buf.append(b, size_t(n));
                continue;
            }
            std::string line = buf.substr(0, nl);
            buf.erase(0, nl + 1);
            if (line.rfind("DATA", 0) == 0) {
                put("354 go ahead\r\n");
                stalled_ = true;
                while (!released_) std::this_thread::sleep_for(std::chrono::milliseconds(20));   // reads nothing more
                return;
            }
            put(line.rfind("EHLO", 0) == 0 ? "250 stall.test\r\n" : "250 OK\r\n");
        }
    }

    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stalled_{false}, released_{false};
    std::thread thread_;
};

} // namespace sbbs::test
