// A dnsmasq on 127.0.0.1 and a free port, answering from a config the test
// writes; stopped by the destructor. Shared by the dns and sendmail tests.
#pragma once

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace sbbs::test {

inline std::string find_binary(const std::string& name) {
    for (const char* dir : {"/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/", "/usr/local/sbin/", "/usr/local/bin/"}) {
        std::string p = std::string(dir) + name;
        if (access(p.c_str(), X_OK) == 0) return p;
    }
    return {};
}

// A port free for both UDP and TCP on 127.0.0.1 right now.
inline uint16_t free_loopback_port() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        int u = socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (bind(u, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            getsockname(u, reinterpret_cast<sockaddr*>(&a), &len) != 0) { close(u); continue; }
        int t = socket(AF_INET, SOCK_STREAM, 0);
        bool tcp_ok = bind(t, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        close(t);
        close(u);
        if (tcp_ok) return ntohs(a.sin_port);
    }
    return 0;
}

class DnsmasqServer {
public:
    // `records`: dnsmasq config lines (mx-host=, host-record=, ...).
    explicit DnsmasqServer(const std::string& records) {
        binary_ = find_binary("dnsmasq");
        if (binary_.empty()) return;
        char tmpl[] = "/tmp/sbbs-dnsmasq-XXXXXX";
        if (!mkdtemp(tmpl)) return;
        dir_ = tmpl;
        port_ = free_loopback_port();
        std::ofstream(dir_ + "/dnsmasq.conf")
            << "port=" << port_ << "\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\n"
            << "no-poll\nlocal=/test/\nuser=root\n" << records << "\n";
        pid_ = fork();
        if (pid_ == 0) {
            std::string conf = "--conf-file=" + dir_ + "/dnsmasq.conf";
            int devnull = ::open("/dev/null", O_WRONLY);
            if (devnull >= 0) { dup2(devnull, 1); dup2(devnull, 2); }
            execl(binary_.c_str(), "dnsmasq", "-k", conf.c_str(), "--pid-file=", (char*)nullptr);
            _exit(127);
        }
        wait_ready();
    }
    ~DnsmasqServer() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            int st = 0;
            waitpid(pid_, &st, 0);
        }
        if (!dir_.empty()) {
            unlink((dir_ + "/dnsmasq.conf").c_str());
            rmdir(dir_.c_str());
        }
    }
    DnsmasqServer(const DnsmasqServer&) = delete;
    DnsmasqServer& operator=(const DnsmasqServer&) = delete;

    bool running() const { return ready_; }
    uint16_t port() const { return port_; }
    // Why running() is false, for the skip message.
    std::string why_not() const {
        return binary_.empty() ? "dnsmasq not installed (apt-get install dnsmasq-base)" : "dnsmasq did not start";
    }

private:
    void wait_ready() {
        // Ready when its TCP port accepts (it opens UDP and TCP together).
        for (int i = 0; i < 100 && !ready_; ++i) {
            int st = 0;
            if (waitpid(pid_, &st, WNOHANG) == pid_) { pid_ = -1; return; }
            int s = socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(port_);
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            ready_ = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
            close(s);
            if (!ready_) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    std::string binary_, dir_;
    uint16_t port_ = 0;
    pid_t pid_ = -1;
    bool ready_ = false;
};

// The name server of a name that never answers (SEC-1): a UDP socket on
// loopback that takes queries and answers none until release(). Point a
// dnsmasq at it with "server=/<domain>/127.0.0.1#<port>".
class SilentNameServer {
public:
    SilentNameServer() {
        fd_ = socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            port_ = ntohs(a.sin_port);
    }
    ~SilentNameServer() {
        if (fd_ >= 0) close(fd_);
    }
    SilentNameServer(const SilentNameServer&) = delete;
    SilentNameServer& operator=(const SilentNameServer&) = delete;

    uint16_t port() const { return port_; }
    // Waits up to `seconds` for a query and keeps it; true when one came.
    bool wait_query(int seconds) {
        pollfd p{fd_, POLLIN, 0};
        if (port_ == 0 || poll(&p, 1, seconds * 1000) != 1) return false;
        query_.assign(512, '\0');
        peer_len_ = sizeof peer_;
        ssize_t n = recvfrom(fd_, query_.data(), query_.size(), 0, reinterpret_cast<sockaddr*>(&peer_), &peer_len_);
        query_.resize(n > 0 ? size_t(n) : 0);
        return query_.size() >= 12;
    }
    // Answers the kept query with NXDOMAIN, so whoever waits on it goes on.
    void release() {
        if (query_.size() < 12) return;
        query_[2] = char(uint8_t(query_[2]) | 0x80);                      // QR: a response
        query_[3] = char((uint8_t(query_[3]) & 0x70) | 0x80 | 3);         // RA, RCODE 3
        (void)sendto(fd_, query_.data(), query_.size(), 0, reinterpret_cast<sockaddr*>(&peer_), peer_len_);
    }

private:
    int fd_ = -1;
    uint16_t port_ = 0;
    std::string query_;
    sockaddr_in peer_{};
    socklen_t peer_len_ = 0;
};

} // namespace sbbs::test
