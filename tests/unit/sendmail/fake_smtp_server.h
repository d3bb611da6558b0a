// A scripted SMTP server on 127.0.0.1 for SendMail tests: a thread that
// answers each command from per-verb reply queues (optionally with a real
// STARTTLS) and records what it received.
#pragma once

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <csignal>
#include <deque>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace sbbs::test {

// A listening socket on 127.0.0.1 and a free port (set in `port`); a
// `rcvbuf` other than 0 is the receive buffer of every accepted socket.
inline int listen_on_loopback(uint16_t& port, int rcvbuf = 0) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (rcvbuf) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd, 8);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    return fd;
}

class FakeSmtpServer {
public:
    struct Session {
        std::vector<std::string> commands;   // every line outside DATA
        std::string data;                    // DATA lines, CRLF-joined, as received; BDAT chunks as sent
        std::vector<size_t> chunks;          // each BDAT chunk's size
        bool tls = false;
        std::string peer_ip;                 // the client's address
        bool hung = false;                   // the text arrived, no reply was given
    };

    std::string greeting = "220 fake.test ESMTP";
    std::vector<std::string> ehlo = {"250-fake.test", "250 HELP"};
    // Replies by verb (upper case; "." ends DATA; "AUTH" also answers the
    // lines that follow a 334). The last one is reused. "<close>" hangs up;
    // "<hang>" never answers (until the client goes away).
    std::map<std::string, std::deque<std::string>> replies;
    std::string cert_file, key_file;         // set: STARTTLS really handshakes
    // A pause before each reply to this verb (a server that trickles).
    std::map<std::string, std::chrono::milliseconds> delays;

    FakeSmtpServer() {
        std::signal(SIGPIPE, SIG_IGN);   // a client hanging up must not kill the test
        fd_ = listen_on_loopback(port_);
    }
    ~FakeSmtpServer() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        close(fd_);
        if (ctx_) SSL_CTX_free(ctx_);
    }
    void start() {
        if (!cert_file.empty()) {
            ctx_ = SSL_CTX_new(TLS_server_method());
            SSL_CTX_use_certificate_file(ctx_, cert_file.c_str(), SSL_FILETYPE_PEM);
            SSL_CTX_use_PrivateKey_file(ctx_, key_file.c_str(), SSL_FILETYPE_PEM);
        }
        thread_ = std::thread([this] { serve(); });
    }
    uint16_t port() const { return port_; }
    std::vector<Session> sessions() const { std::lock_guard lk(mu_); return sessions_; }

private:
    std::string reply(const std::string& verb) {
        std::lock_guard lk(mu_);
        auto it = replies.find(verb);
        if (it != replies.end() && !it->second.empty()) {
            std::string r = it->second.front();
            if (it->second.size() > 1) it->second.pop_front();
            return r;
        }
        if (verb == "EHLO") {
            std::string all;
            for (auto& l : ehlo) all += (all.empty() ? "" : "\r\n") + l;
            return all;
        }
        static const std::map<std::string, std::string> defaults = {
            {"HELO", "250 fake.test"}, {"MAIL", "250 OK"}, {"RCPT", "250 OK"}, {"DATA", "354 go ahead"},
            {".", "250 queued"}, {"QUIT", "221 bye"}, {"STARTTLS", "220 ready"}, {"AUTH", "235 ok"},
            {"RSET", "250 OK"}, {"BDAT", "250 chunk OK"}};
        auto d = defaults.find(verb);
        return d != defaults.end() ? d->second : "500 unknown command";
    }

    void serve() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) continue;
            sockaddr_in peer{};
            socklen_t plen = sizeof peer;
            int c = accept(fd_, reinterpret_cast<sockaddr*>(&peer), &plen);
            if (c < 0) continue;
            {
                std::lock_guard lk(mu_);
                sessions_.emplace_back();
                char ip[INET_ADDRSTRLEN] = {};
                sessions_.back().peer_ip = inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip) ? ip : "";
            }
            converse(c);
            if (ssl_) { SSL_free(ssl_); ssl_ = nullptr; }
            close(c);
        }
    }

    bool put(int c, const std::string& s) {
        std::string out = s + "\r\n";
        if (ssl_) return SSL_write(ssl_, out.data(), int(out.size())) > 0;
        return send(c, out.data(), out.size(), MSG_NOSIGNAL) == ssize_t(out.size());
    }
    // One line, or false on close/timeout/stop.
    bool get(int c, std::string& line) {
        for (int waited = 0; waited < 200 && !stop_;) {
            auto nl = buf_.find('\n');
            if (nl != std::string::npos) {
                line = buf_.substr(0, nl);
                buf_.erase(0, nl + 1);
                if (!line.empty() && line.back() == '\r') line.pop_back();
                return true;
            }
            if (!(ssl_ && SSL_pending(ssl_))) {
                pollfd p{c, POLLIN, 0};
                if (poll(&p, 1, 50) == 0) { ++waited; continue; }
            }
            char b[4096];
            long n = ssl_ ? SSL_read(ssl_, b, sizeof b) : recv(c, b, sizeof b, 0);
            if (n <= 0) return false;
            buf_.append(b, size_t(n));
        }
        return false;
    }
    // Exactly `n` bytes (a BDAT chunk), or false on close/timeout/stop.
    bool get_bytes(int c, size_t n, std::string& out) {
        for (int waited = 0; waited < 200 && !stop_;) {
            if (buf_.size() >= n) {
                out = buf_.substr(0, n);
                buf_.erase(0, n);
                return true;
            }
            if (!(ssl_ && SSL_pending(ssl_))) {
                pollfd p{c, POLLIN, 0};
                if (poll(&p, 1, 50) == 0) { ++waited; continue; }
            }
            char b[65536];
            long n_read = ssl_ ? SSL_read(ssl_, b, sizeof b) : recv(c, b, sizeof b, 0);
            if (n_read <= 0) return false;
            buf_.append(b, size_t(n_read));
        }
        return false;
    }
    void record(const std::string& line, bool data) {
        std::lock_guard lk(mu_);
        if (data) sessions_.back().data += line + "\r\n";
        else sessions_.back().commands.push_back(line);
    }

    void converse(int c) {
        buf_.clear();
        if (!put(c, greeting) || greeting[0] != '2') return;
        bool in_auth = false;
        std::string line;
        while (get(c, line)) {
            record(line, false);
            std::string verb = in_auth ? "AUTH" : line.substr(0, line.find(' '));
            for (auto& ch : verb) ch = char(toupper(uint8_t(ch)));
            if (verb == "BDAT") {   // the chunk follows the command at once
                std::string chunk;
                if (!get_bytes(c, std::stoul(line.substr(5)), chunk)) return;
                std::lock_guard lk(mu_);
                sessions_.back().data += chunk;
                sessions_.back().chunks.push_back(chunk.size());
            }
            std::string r = reply(verb);
            if (auto d = delays.find(verb); d != delays.end()) std::this_thread::sleep_for(d->second);
            if (r == "<close>") return;
            if (!put(c, r)) return;
            in_auth = (verb == "AUTH") && r.rfind("334", 0) == 0;
            if (verb == "QUIT") return;
            if (verb == "STARTTLS" && r.rfind("220", 0) == 0) {
                if (!ctx_) return;   // no certificate: the handshake fails at once
                ssl_ = SSL_new(ctx_);
                SSL_set_fd(ssl_, c);
                if (SSL_accept(ssl_) != 1) return;
                std::lock_guard lk(mu_);
                sessions_.back().tls = true;
                buf_.clear();
            }
            if (verb == "DATA" && r.rfind("354", 0) == 0) {
                while (get(c, line) && line != ".") record(line, true);
                std::string end = reply(".");
                if (end == "<hang>") {
                    {
                        std::lock_guard lk(mu_);
                        sessions_.back().hung = true;
                    }
                    while (get(c, line)) {}
                    return;
                }
                if (end == "<close>" || !put(c, end)) return;
            }
        }
    }

    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    mutable std::mutex mu_;
    std::vector<Session> sessions_;
    std::string buf_;
    SSL_CTX* ctx_ = nullptr;
    SSL* ssl_ = nullptr;
};

} // namespace sbbs::test
