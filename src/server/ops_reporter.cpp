// The status file writer and the Prometheus endpoint (see ops_reporter.h).
#include "server/ops_reporter.h"

#include "server/metrics_text.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sbbs {

namespace {

constexpr size_t kMaxRequest = 4096;            // a GET line and a few headers; more is refused
constexpr auto kRequestDeadline = std::chrono::seconds(2);

struct Fd {
    int fd;
    ~Fd() { if (fd >= 0) ::close(fd); }
};

// 127.0.0.1 unless MetricsInterface names another address (IPv4 or IPv6).
int bind_metrics(const std::string& address, uint16_t port, std::string& why) {
    sockaddr_storage ss{};
    socklen_t len = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
    if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        len = sizeof *v4;
    } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        len = sizeof *v6;
    } else {
        why = "MetricsInterface '" + address + "' is not an IP address";
        return -1;
    }
    int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) { why = std::strerror(errno); return -1; }
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(fd, 8) != 0) {
        why = std::strerror(errno);
        ::close(fd);
        return -1;
    }
    return fd;
}

// Reads the request head within the deadline and the size cap; "" = give up.
std::string read_head(int fd) {
    std::string head;
    auto deadline = std::chrono::steady_clock::now() + kRequestDeadline;
    while (head.find("\r\n\r\n") == std::string::npos && head.find("\n\n") == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || head.size() > kMaxRequest) return "";
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, int(left.count())) <= 0) return "";
        char buf[1024];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return head;
        head.append(buf, size_t(n));
    }
    return head;
}

std::string response(int code, const char* reason, const std::string& type, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(code) + " " + reason + "\r\nContent-Type: " + type +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// Only GET (or HEAD) /metrics; everything else 404/405, too long 431.
std::string answer(const std::string& head) {
    if (head.empty() || head.size() > kMaxRequest) return response(431, "Request Header Fields Too Large", "text/plain", "too large or too slow\n");
    std::string line = head.substr(0, head.find_first_of("\r\n"));
    size_t sp1 = line.find(' '), sp2 = line.find(' ', sp1 == std::string::npos ? sp1 : sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos) return response(400, "Bad Request", "text/plain", "bad request\n");
    std::string method = line.substr(0, sp1), path = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (path != "/metrics") return response(404, "Not Found", "text/plain", "only /metrics\n");
    if (method != "GET") return response(405, "Method Not Allowed", "text/plain", "only GET\n");
    return response(200, "OK", "text/plain; version=0.0.4; charset=utf-8",
                    prometheus_text(metrics::mail_metrics(), std::time(nullptr)));
}

void send_all(int fd, const std::string& text) {
    size_t off = 0;
    auto deadline = std::chrono::steady_clock::now() + kRequestDeadline;
    while (off < text.size() && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        ssize_t n = ::send(fd, text.data() + off, text.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return;
        off += size_t(n);
    }
}

} // namespace

std::string status_file_path(const Config& config) { return config.paths.data + "sbbsmail.status"; }

OpsReporter::OpsReporter(const Config& config, Logger& log) : log_(log), status_path_(status_file_path(config)) {
    const MailSettings& m = config.mail;
    if (m.metrics_port != 0) {
        std::string why;
        listen_fd_ = bind_metrics(m.metrics_interface, m.metrics_port, why);
        if (listen_fd_ < 0)
            log_.log(LogLevel::Error, "!Metrics endpoint not started on " + m.metrics_interface + " port " +
                                          std::to_string(m.metrics_port) + ": " + why);
        else
            log_.log(LogLevel::Info, "Metrics endpoint listening on " + m.metrics_interface + " port " +
                                         std::to_string(m.metrics_port));
    }
    write_status();
    thread_ = std::thread([this] { run(); });
}

OpsReporter::~OpsReporter() {
    stop_.request();
    if (thread_.joinable()) thread_.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    ::unlink(status_path_.c_str());   // --status then says "not running" at once
}

void OpsReporter::run() {
    auto next = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (!stop_.requested()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            write_status();
            next += std::chrono::seconds(1);
            continue;
        }
        if (listen_fd_ < 0) {
            stop_.wait_for(std::min(left, std::chrono::milliseconds(1000)));
            continue;
        }
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, int(std::min<long long>(left.count(), 200))) > 0) serve_one();
    }
}

// Written under a temporary name and renamed: a reader sees the old or the
// new report, never half of one. 0640: the sysop's group may read it.
void OpsReporter::write_status() {
    std::string text = status_report(metrics::mail_metrics(), long(::getpid()), std::time(nullptr));
    std::string tmp = status_path_ + ".tmp";
    Fd f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)};
    if (f.fd < 0 || ::write(f.fd, text.data(), text.size()) != ssize_t(text.size())) return;
    if (::rename(tmp.c_str(), status_path_.c_str()) != 0) ::unlink(tmp.c_str());
}

void OpsReporter::serve_one() {
    Fd client{::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC)};
    if (client.fd < 0) return;
    send_all(client.fd, answer(read_head(client.fd)));
}

} // namespace sbbs
