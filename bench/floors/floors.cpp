// The machine's floors for the benches (issue #14 item 5): how many
// append+fdatasync and overwrite+fdatasync a second the disk under a
// directory allows, and how many bytes a second one TCP loopback connection
// carries. Usage: floors fsync DIR SECONDS MAX_COUNT | floors loopback SECONDS
// Prints one JSON object: {"append_fdatasync_per_s": r, ...}.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kBlock = 4096;  // one SMB data block's worth of text per write

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Closes a descriptor when it goes out of scope.
struct Fd {
    int fd;
    explicit Fd(int f) : fd(f) {}
    ~Fd() { if (fd >= 0) close(fd); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

// Each write grows the file, so each fdatasync also commits the new size and
// block allocation (the file system's journal): what a base's data file costs.
double append_fdatasync_rate(const std::string& dir, double secs, long max) {
    std::string path = dir + "/floor-append.tmp";
    Fd f(open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_APPEND, 0600));
    if (f.fd < 0) return -1;
    std::vector<char> buf(kBlock, 'a');
    long n = 0;
    auto t = Clock::now();
    while (n < max && seconds_since(t) < secs) {
        if (write(f.fd, buf.data(), buf.size()) != ssize_t(buf.size()) || fdatasync(f.fd) != 0) return -1;
        ++n;
    }
    double rate = n / seconds_since(t);
    unlink(path.c_str());
    return rate;
}

// Rewrites one already allocated and synced block: fdatasync only has the
// data to flush (no size change), the cheapest durable write there is.
double overwrite_fdatasync_rate(const std::string& dir, double secs, long max) {
    std::string path = dir + "/floor-overwrite.tmp";
    Fd f(open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600));
    if (f.fd < 0) return -1;
    std::vector<char> buf(kBlock, 'o');
    if (pwrite(f.fd, buf.data(), buf.size(), 0) != ssize_t(buf.size()) || fsync(f.fd) != 0) return -1;
    long n = 0;
    auto t = Clock::now();
    while (n < max && seconds_since(t) < secs) {
        if (pwrite(f.fd, buf.data(), buf.size(), 0) != ssize_t(buf.size()) || fdatasync(f.fd) != 0) return -1;
        ++n;
    }
    double rate = n / seconds_since(t);
    unlink(path.c_str());
    return rate;
}

// A listening socket on 127.0.0.1 with a kernel-chosen port.
int loopback_listener(int& port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(s, 1) != 0 ||
        getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        if (s >= 0) close(s);
        return -1;
    }
    port = ntohs(a.sin_port);
    return s;
}

// One TCP connection over loopback, a sender thread writing 256 KiB blocks
// for `secs`, the receiver reading with 256 KiB reads (as the POP3 load
// client does): bytes received per second.
double loopback_bytes_rate(double secs) {
    int port = 0;
    Fd listener(loopback_listener(port));
    if (listener.fd < 0) return -1;
    Fd out(socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(uint16_t(port));
    if (connect(out.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return -1;
    Fd in(accept(listener.fd, nullptr, nullptr));
    if (in.fd < 0) return -1;
    std::thread sender([&] {
        std::vector<char> buf(256 * 1024, 'x');
        auto t = Clock::now();
        while (seconds_since(t) < secs)
            if (send(out.fd, buf.data(), buf.size(), MSG_NOSIGNAL) <= 0) break;
        shutdown(out.fd, SHUT_WR);
    });
    std::vector<char> buf(256 * 1024);
    long long bytes = 0;
    auto t = Clock::now();
    for (ssize_t r; (r = recv(in.fd, buf.data(), buf.size(), 0)) > 0;) bytes += r;
    double rate = bytes / seconds_since(t);
    sender.join();
    return rate;
}

int usage() {
    std::fprintf(stderr, "usage: floors fsync DIR SECONDS MAX_COUNT | floors loopback SECONDS\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    std::string what = argc > 1 ? argv[1] : "";
    if (what == "fsync" && argc == 5) {
        double secs = std::atof(argv[3]);
        long max = std::atol(argv[4]);
        double append = append_fdatasync_rate(argv[2], secs, max);
        double overwrite = overwrite_fdatasync_rate(argv[2], secs, max);
        if (append < 0 || overwrite < 0) { std::perror("floors fsync"); return 1; }
        std::printf("{\"append_fdatasync_per_s\": %.1f, \"overwrite_fdatasync_per_s\": %.1f}\n", append, overwrite);
        return 0;
    }
    if (what == "loopback" && argc == 3) {
        double rate = loopback_bytes_rate(std::atof(argv[2]));
        if (rate < 0) { std::perror("floors loopback"); return 1; }
        std::printf("{\"loopback_bytes_per_s\": %.1f}\n", rate);
        return 0;
    }
    return usage();
}
