// Helpers for the server unit tests: configs on ephemeral loopback ports,
// a capturing logger, a temp ctrl directory and a small line client.
#pragma once

#include "eventually.h"

#include "config/settings.h"
#include "log/logger.h"
#include "net/socket.h"
#include "net/tls.h"
#include "server/server.h"

#include <catch.hpp>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <poll.h>
#include <stdlib.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace sbbs::test {
// Each module's test helpers get their own inline namespace, so two helpers of
// one name (TempDir) can never silently collide across test binaries (ODR).
inline namespace server_support {

class CaptureLogger : public Logger {
public:
    void log(LogLevel, std::string_view text) override {
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.emplace_back(text);
    }
    bool enabled(LogLevel) const override { return true; }
    bool contains(const std::string& part) const {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& l : lines_)
            if (l.find(part) != std::string::npos) return true;
        return false;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "sbbssrv.XXXXXX").string();
        path_ = std::string(::mkdtemp(tmpl.data())) + "/";
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// One certificate for the whole binary (key generation is slow).
inline const std::string& shared_tls_dir() {
    static TempDir dir;
    static bool made = generate_self_signed(dir.path() + "cert.pem", dir.path() + "key.pem", "mail.test.example").ok();
    (void)made;
    return dir.path();
}

// SMTP and POP3 on loopback ephemeral ports; no submission, no TLS ports.
// `own_tls`: leave the TLS files unconfigured (generated into `ctrl`).
inline std::shared_ptr<Config> loopback_config(const std::string& ctrl, bool own_tls = false) {
    auto c = std::make_shared<Config>();
    c->paths.ctrl = ctrl;
    if (!own_tls) {
        c->mail.tls_cert_file = shared_tls_dir() + "cert.pem";
        c->mail.tls_key_file = shared_tls_dir() + "key.pem";
    }
    c->mail.interfaces = {"127.0.0.1"};
    c->mail.pop3_interfaces = {"127.0.0.1"};
    c->mail.smtp_port = c->mail.pop3_port = 0;
    c->mail.submission_port = c->mail.tls_submission_port = c->mail.tls_pop3_port = 0;
    c->mail.host_name = "mail.test.example";
    c->mail.bind_retry_count = 0;
    c->mail.options = mail_opt::ALLOW_POP3;
    return c;
}

// Everything the peer sends until it closes or `timeout` passes.
inline std::string read_all(const Socket& s, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::string out;
    auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        pollfd p{s.fd(), POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return out;
        char buf[512];
        ssize_t n = ::recv(s.fd(), buf, sizeof buf, 0);
        if (n <= 0) return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

// The port the running `s` listens on for `kind`.
inline uint16_t port_of(const Server& s, ListenerKind kind) {
    for (const auto& l : s.listening())
        if (l.kind == kind) return l.port;
    FAIL("no listener of that kind");
    return 0;
}

// A client connection to 127.0.0.1:`port`.
inline Socket dial(uint16_t port) {
    auto c = connect_tcp("127.0.0.1", port);
    REQUIRE(c.ok());
    return std::move(*c);
}

// The peer's first line, CR LF included (waits up to 5 s for it).
inline std::string first_line(const Socket& s) {
    std::string got;
    for (int i = 0; i < 50 && got.find("\r\n") == std::string::npos; ++i)
        got += read_all(s, std::chrono::milliseconds(100));
    return got.substr(0, got.find("\r\n") + 2);
}

} // inline namespace server_support
} // namespace sbbs::test
