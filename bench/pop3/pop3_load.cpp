// POP3 load client for bench/pop3: N threads, each repeating a mail client's session on its own mailbox.
//
// A C++ client, not Python, so the figure is the server's rate and not the
// client's: each thread does USER/PASS, STAT, LIST, UIDL, RETR of every
// message, QUIT, and starts over until the run has lasted --seconds (or did
// --max-sessions sessions), never beyond --limit seconds. Every RETR's octet
// count (after undoing dot-stuffing) must equal the LIST size and every
// mailbox must hold --expect messages, so a server that answers short cannot
// look fast. With --reference DIR every RETR's text (as sent, up to the
// terminating dot) must equal, byte for byte, message n of DIR/<user>.ref,
// which the bench wrote from the stored messages and checked against what it
// sent. Prints one JSON line; exit status 0 only when nothing failed.
//
// Usage: pop3_load --port P --password PW --users u1,u2,... [--expect N]
//                  [--seconds S] [--max-sessions M] [--limit L] [--reference DIR]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    int port = 0;
    std::string password;
    std::vector<std::string> users;
    long expect = -1;        // messages each mailbox must hold; -1: any
    double seconds = 3.0;    // a thread starts no new session after this
    long max_sessions = 1000;
    double limit = 120.0;    // hard bound for the whole run
    std::string reference;   // directory of <user>.ref files; empty: no byte check
};

// The stored messages' texts per user, as the server must send them.
using References = std::map<std::string, std::vector<std::string>>;

struct Totals {
    std::atomic<long> messages{0};
    std::atomic<long long> octets{0};
    std::atomic<long> sessions{0};
    std::atomic<bool> failed{false};
    std::mutex error_lock;
    std::string first_error;

    void fail(const std::string& what) {
        std::lock_guard<std::mutex> hold(error_lock);
        if (!failed.exchange(true)) first_error = what;
    }
};

// One connection; closes its socket when it goes out of scope.
class Connection {
public:
    explicit Connection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        timeval tv{30, 0};  // a stuck server ends the run instead of hanging it
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            int err = errno;
            ::close(fd_);
            throw std::runtime_error("connect: " + std::string(std::strerror(err)));
        }
        buf_.resize(256 * 1024);
    }
    ~Connection() { ::close(fd_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void send_line(const std::string& line) {
        std::string out = line + "\r\n";
        size_t done = 0;
        while (done < out.size()) {
            ssize_t n = ::send(fd_, out.data() + done, out.size() - done, MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("send: " + std::string(std::strerror(errno)));
            done += static_cast<size_t>(n);
        }
    }

    // The next reply up to and including `end` ("\r\n" or "\r\n.\r\n"), which
    // must start with "+OK".
    std::string reply(const char* end, const std::string& what) {
        const size_t end_len = std::strlen(end);
        size_t searched = 0;
        for (;;) {
            size_t from = searched >= end_len ? searched - end_len : 0;
            size_t at = pending_.find(end, from);
            if (at != std::string::npos) {
                std::string r = pending_.substr(0, at + end_len);
                pending_.erase(0, at + end_len);
                if (r.compare(0, 3, "+OK") != 0)
                    throw std::runtime_error(what + ": " + r.substr(0, r.find('\r')));
                return r;
            }
            // An -ERR ends a multi-line command's reply at its first line.
            size_t line_end = pending_.find("\r\n");
            if (line_end != std::string::npos && pending_.compare(0, 3, "+OK") != 0)
                throw std::runtime_error(what + ": " + pending_.substr(0, line_end));
            searched = pending_.size();
            ssize_t n = ::recv(fd_, buf_.data(), buf_.size(), 0);
            if (n <= 0)
                throw std::runtime_error(what + ": " + (n == 0 ? "connection closed" : std::strerror(errno)));
            pending_.append(buf_.data(), static_cast<size_t>(n));
        }
    }

    std::string command(const std::string& line, bool multi_line, const std::string& what) {
        send_line(line);
        return reply(multi_line ? "\r\n.\r\n" : "\r\n", what);
    }

private:
    int fd_;
    std::vector<char> buf_;
    std::string pending_;
};

// The octets of a multi-line reply's text: after the status line, without
// the terminating ".\r\n" and with dot-stuffing undone.
long long text_octets(const std::string& r) {
    size_t start = r.find("\r\n") + 2;
    size_t end = r.size() - 3;  // the final ".\r\n"
    if (end < start) return -1;
    long long n = static_cast<long long>(end - start);
    if (end > start && r[start] == '.') --n;
    for (size_t at = r.find("\r\n.", start); at != std::string::npos && at + 2 < end; at = r.find("\r\n.", at + 2))
        --n;
    return n;
}

// LIST's "n size" lines -> sizes[n-1].
std::vector<long long> list_sizes(const std::string& r) {
    std::vector<long long> sizes;
    size_t pos = r.find("\r\n") + 2;
    while (pos < r.size() && r.compare(pos, 3, ".\r\n") != 0) {
        long n = 0;
        long long size = 0;
        if (std::sscanf(r.c_str() + pos, "%ld %lld", &n, &size) != 2 || n != static_cast<long>(sizes.size()) + 1)
            throw std::runtime_error("LIST: bad line " + r.substr(pos, r.find("\r\n", pos) - pos));
        sizes.push_back(size);
        pos = r.find("\r\n", pos) + 2;
    }
    return sizes;
}

// DIR/<user>.ref: for each message "<octets>\n" then that many bytes.
std::vector<std::string> read_reference(const std::string& dir, const std::string& user) {
    std::ifstream in(dir + "/" + user + ".ref", std::ios::binary);
    if (!in) throw std::runtime_error("no reference file for " + user);
    std::vector<std::string> texts;
    size_t len = 0;
    while (in >> len) {
        in.get();  // the newline after the length
        std::string text(len, '\0');
        if (!in.read(text.data(), static_cast<std::streamsize>(len)))
            throw std::runtime_error(user + ".ref: short");
        texts.push_back(std::move(text));
    }
    return texts;
}

// The reply's text as sent: after the status line, before the final ".\r\n".
bool same_text(const std::string& r, const std::string& stored) {
    size_t start = r.find("\r\n") + 2;
    return r.size() >= start + 3 && r.size() - 3 - start == stored.size() &&
           r.compare(start, stored.size(), stored) == 0;
}

void session(const Options& o, const std::string& user, const std::vector<std::string>* stored, Totals& t) {
    Connection c(o.port);
    c.reply("\r\n", "greeting");
    c.command("USER " + user, false, "USER");
    c.command("PASS " + o.password, false, "PASS");
    long count = 0;
    std::sscanf(c.command("STAT", false, "STAT").c_str(), "+OK %ld", &count);
    std::vector<long long> sizes = list_sizes(c.command("LIST", true, "LIST"));
    if (stored && static_cast<long>(stored->size()) != count)
        throw std::runtime_error(user + ": STAT " + std::to_string(count) + ", reference " +
                                 std::to_string(stored->size()));
    if (static_cast<long>(sizes.size()) != count || (o.expect >= 0 && count != o.expect))
        throw std::runtime_error(user + ": STAT " + std::to_string(count) + ", LIST " +
                                 std::to_string(sizes.size()) + ", expected " + std::to_string(o.expect));
    c.command("UIDL", true, "UIDL");
    long long octets = 0;
    for (long n = 1; n <= count; ++n) {
        std::string r = c.command("RETR " + std::to_string(n), true, "RETR");
        long long got = text_octets(r);
        if (got != sizes[n - 1])
            throw std::runtime_error(user + ": RETR " + std::to_string(n) + " gave " + std::to_string(got) +
                                     " octets, LIST said " + std::to_string(sizes[n - 1]));
        if (stored && !same_text(r, (*stored)[n - 1]))
            throw std::runtime_error(user + ": RETR " + std::to_string(n) + " differs from the stored message");
        octets += got;
    }
    c.command("QUIT", false, "QUIT");
    t.messages += count;
    t.octets += octets;
    ++t.sessions;
}

void client(const Options& o, const std::string& user, const std::vector<std::string>* stored,
            Clock::time_point start, Totals& t) {
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    try {
        for (long s = 0; s < o.max_sessions && !t.failed && (s == 0 || elapsed() < o.seconds); ++s) {
            if (elapsed() > o.limit) throw std::runtime_error("time limit reached");
            session(o, user, stored, t);
        }
    } catch (const std::exception& e) {
        t.fail(e.what());
    }
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    size_t pos = 0;
    while (pos <= s.size()) {
        size_t at = s.find(sep, pos);
        if (at == std::string::npos) at = s.size();
        if (at > pos) parts.push_back(s.substr(pos, at - pos));
        pos = at + 1;
    }
    return parts;
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--port") o.port = std::atoi(v.c_str());
        else if (k == "--password") o.password = v;
        else if (k == "--users") o.users = split(v, ',');
        else if (k == "--expect") o.expect = std::atol(v.c_str());
        else if (k == "--seconds") o.seconds = std::atof(v.c_str());
        else if (k == "--max-sessions") o.max_sessions = std::atol(v.c_str());
        else if (k == "--limit") o.limit = std::atof(v.c_str());
        else if (k == "--reference") o.reference = v;
        else throw std::runtime_error("unknown option " + k);
    }
    if (o.port <= 0 || o.users.empty() || o.max_sessions < 1)
        throw std::runtime_error("usage: pop3_load --port P --password PW --users u1,u2 [--expect N] "
                                 "[--seconds S] [--max-sessions M] [--limit L] [--reference DIR]");
    return o;
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\') out += '\\';
        if (static_cast<unsigned char>(ch) >= 0x20) out += ch;
    }
    return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    References refs;
    try {
        o = parse(argc, argv);
        if (!o.reference.empty())
            for (const std::string& user : o.users) refs[user] = read_reference(o.reference, user);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
    Totals t;
    auto start = Clock::now();
    {
        std::vector<std::jthread> threads;
        for (const std::string& user : o.users)
            threads.emplace_back([&o, &t, &user, &refs, start] {
                auto found = refs.find(user);
                client(o, user, found == refs.end() ? nullptr : &found->second, start, t);
            });
    }
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("{\"ok\": %s, \"clients\": %zu, \"sessions\": %ld, \"messages\": %ld, \"octets\": %lld, "
                "\"seconds\": %.4f, \"messages_per_s\": %.1f, \"error\": %s}\n",
                t.failed ? "false" : "true", o.users.size(), t.sessions.load(), t.messages.load(),
                t.octets.load(), secs, secs > 0 ? t.messages.load() / secs : 0.0,
                t.failed ? json_string(t.first_error).c_str() : "null");
    return t.failed ? 1 : 0;
}
