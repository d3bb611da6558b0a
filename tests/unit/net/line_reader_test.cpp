// SocketSessionIo line reading over a socketpair: line ends, limits, timeouts.
#include "net/signals.h"
#include "net/socket_session_io.h"

#include <catch.hpp>

#include <chrono>
#include <sys/socket.h>
#include <thread>

using namespace sbbs;

namespace {

struct Pair {
    Socket client;
    std::unique_ptr<SocketSessionIo> io;
    Pair() {
        ignore_sigpipe();
        auto p = socket_pair();
        REQUIRE(p.ok());
        client = std::move(p->first);
        io = std::make_unique<SocketSessionIo>(std::move(p->second), nullptr);
    }
    void send(std::string_view s) { REQUIRE(send_all(client, s)); }
};

} // namespace

TEST_CASE("line reader: CR LF and bare LF both end a line, a lone CR is kept") {
    Pair p;
    p.send("HELO a\r\nNOOP\nX\rY\r\n");
    auto a = p.io->read_line(100, 5);
    CHECK(a.status == ReadStatus::Line);
    CHECK(a.line == "HELO a");
    CHECK(p.io->read_line(100, 5).line == "NOOP");
    CHECK(p.io->read_line(100, 5).line == "X\rY");
}

TEST_CASE("line reader: a line of exactly max_len is accepted, one more byte is TooLong") {
    Pair p;
    p.send(std::string(10, 'a') + "\r\n" + std::string(11, 'b') + "\r\nnext\r\n");
    auto ok = p.io->read_line(10, 5);
    CHECK(ok.status == ReadStatus::Line);
    CHECK(ok.line == std::string(10, 'a'));
    CHECK(p.io->read_line(10, 5).status == ReadStatus::TooLong);
    auto next = p.io->read_line(10, 5);
    CHECK(next.status == ReadStatus::Line);
    CHECK(next.line == "next");
}

TEST_CASE("ISSUE13-2 SMTP-42 line reader: a very long line is reported at once, then dropped to its end") {
    Pair p;
    std::thread writer([&] {
        std::string chunk(8192, 'x');
        for (int i = 0; i < 64; ++i) send_all(p.client, chunk);
        send_all(p.client, "\r\nQUIT\r\n");
    });
    auto r = p.io->read_line(1000, 5);
    CHECK(r.status == ReadStatus::TooLong);
    CHECK(r.line.empty());
    CHECK(p.io->read_line(1000, 5).line == "QUIT");
    writer.join();
}

TEST_CASE("ISSUE13-2 line reader: a line over the limit that never ends is reported without waiting") {
    Pair p;
    p.send(std::string(100 * 1024, 'x'));     // no line end, and nothing more
    auto t0 = std::chrono::steady_clock::now();
    auto r = p.io->read_line(1000, 30);
    CHECK(r.status == ReadStatus::TooLong);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));   // not the 30 s timeout
    p.send("tail\r\nNEXT\r\n");
    CHECK(p.io->read_line(1000, 5).line == "NEXT");
}

TEST_CASE("ISSUE13-8 SMTP-84 line reader: the rest of an over-long line is not pending input, so its reply is not held back") {
    Pair p;
    p.send(std::string(8 * 1024, 'x'));      // an AUTH response far over its limit, still coming
    REQUIRE(p.io->read_line(1000, 5).status == ReadStatus::TooLong);
    CHECK_FALSE(p.io->input_pending());       // the session flushes its 501 now
    p.send(std::string(4 * 1024, 'x'));
    CHECK_FALSE(p.io->input_pending());
    p.send("\r\nNOOP\r\n");
    CHECK(p.io->read_line(1000, 5).line == "NOOP");
}

TEST_CASE("ISSUE13-8 line reader: commands pipelined behind the end of an over-long line are pending input") {
    Pair p;
    p.send(std::string(2000, 'x') + "\r\nNOOP\r\n");
    REQUIRE(p.io->read_line(1000, 5).status == ReadStatus::TooLong);
    CHECK(p.io->input_pending());
    CHECK(p.io->read_line(1000, 5).line == "NOOP");
}

TEST_CASE("SEC-2 line reader: tells a CR LF line end from a bare LF") {
    Pair p;
    p.send("a\r\nb\nc\r\r\n\n");
    auto a = p.io->read_line(100, 5);
    CHECK((a.line == "a" && a.end == LineEnd::CrLf));
    auto b = p.io->read_line(100, 5);
    CHECK((b.line == "b" && b.end == LineEnd::BareLf));
    auto c = p.io->read_line(100, 5);
    CHECK((c.line == "c\r" && c.end == LineEnd::CrLf));
    auto e = p.io->read_line(100, 5);
    CHECK((e.line.empty() && e.end == LineEnd::BareLf));
}

TEST_CASE("line reader: no input within the timeout gives Timeout, keeping a partial line") {
    Pair p;
    p.send("par");
    auto t0 = std::chrono::steady_clock::now();
    CHECK(p.io->read_line(100, 1).status == ReadStatus::Timeout);
    auto waited = std::chrono::steady_clock::now() - t0;
    CHECK(waited >= std::chrono::milliseconds(900));
    CHECK(waited < std::chrono::seconds(3));
    p.send("tial\n");
    CHECK(p.io->read_line(100, 1).line == "partial");
}

TEST_CASE("line reader: peer close gives Closed, a partial last line is dropped") {
    Pair p;
    p.send("one\ntwo");
    p.client.reset();
    CHECK(p.io->read_line(100, 5).line == "one");
    CHECK(p.io->read_line(100, 5).status == ReadStatus::Closed);
}

TEST_CASE("line reader: input_pending sees buffered and unread input") {
    Pair p;
    CHECK_FALSE(p.io->input_pending());
    p.send("A\r\nB\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(p.io->input_pending());
    CHECK(p.io->read_line(100, 5).line == "A");
    CHECK(p.io->input_pending());
    CHECK(p.io->read_line(100, 5).line == "B");
    CHECK_FALSE(p.io->input_pending());
}

TEST_CASE("session io: write sends bytes as given") {
    Pair p;
    REQUIRE(p.io->write("220 ready\r\n"));
    char buf[64] = {};
    ssize_t n = ::recv(p.client.fd(), buf, sizeof buf, 0);
    REQUIRE(n == 11);
    CHECK(std::string(buf, 11) == "220 ready\r\n");
}

TEST_CASE("ISSUE13-6 POP3-63 session io: after a write times out, commands the client had already sent are never read") {
    ignore_sigpipe();
    auto pair = socket_pair();
    REQUIRE(pair.ok());
    Socket client = std::move(pair->first);
    SessionIoOptions opts;
    opts.write_timeout_s = 1;
    SocketSessionIo io(std::move(pair->second), nullptr, opts);
    REQUIRE(send_all(client, "RETR 1\r\nQUIT\r\n"));   // and never reads
    CHECK(io.read_line(100, 5).line == "RETR 1");
    CHECK_FALSE(io.write(std::string(16 << 20, 'x')));     // more than any socket buffer holds
    CHECK(io.read_line(100, 5).status == ReadStatus::Error);   // the QUIT stays unread
    CHECK_FALSE(io.input_pending());
    CHECK_FALSE(io.write("+OK\r\n"));
}

TEST_CASE("session io: interrupt() from another thread ends a blocked read") {
    Pair p;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        p.io->interrupt();
    });
    auto t0 = std::chrono::steady_clock::now();
    auto r = p.io->read_line(100, 30);
    stopper.join();
    CHECK(r.status == ReadStatus::Closed);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
}

TEST_CASE("session io: start_tls without a TLS context fails cleanly") {
    Pair p;
    auto s = p.io->start_tls();
    CHECK_FALSE(s.ok());
    CHECK_FALSE(p.io->is_tls());
}

TEST_CASE("session io: a write to a closed peer fails instead of killing the process") {
    Pair p;
    p.client.reset();
    bool ok = true;
    for (int i = 0; i < 50 && ok; ++i) ok = p.io->write(std::string(65536, 'z'));
    CHECK_FALSE(ok);
}

TEST_CASE("session io: close() ends the connection for the peer and later reads see Closed") {
    Pair p;
    p.io->close();
    char c;
    CHECK(::recv(p.client.fd(), &c, 1, 0) == 0);
    CHECK(p.io->read_line(10, 1).status == ReadStatus::Closed);
    CHECK_FALSE(p.io->write("x"));
    p.io->interrupt();   // harmless after close
}

TEST_CASE("RFC3030-3 read_bytes: exact counts from what follows a line, then from the socket, no line handling") {
    Pair p;
    p.send("BDAT 9\r\nab\r\n.\r\nxyNOOP\r\n");
    CHECK(p.io->read_line(100, 5).line == "BDAT 9");
    std::string chunk;
    while (chunk.size() < 9) {                      // the caller asks again for the rest
        auto b = p.io->read_bytes(9 - chunk.size(), 5);
        REQUIRE(b.status == ReadStatus::Line);
        REQUIRE(!b.bytes.empty());
        chunk += b.bytes;
    }
    CHECK(chunk == "ab\r\n.\r\nxy");                // dots and line ends are only bytes
    CHECK(p.io->read_line(100, 5).line == "NOOP");  // the line reader goes on right after
    std::thread writer([&] { send_all(p.client, std::string(200000, 'z')); });
    size_t got = 0;
    while (got < 200000) {
        auto b = p.io->read_bytes(65536, 5);
        REQUIRE(b.status == ReadStatus::Line);
        CHECK(b.bytes.size() <= 65536);             // never more than asked for
        got += b.bytes.size();
    }
    writer.join();
    CHECK(got == 200000);
}

TEST_CASE("RFC3030-9 read_bytes: a silent client times out, a closed one is Closed") {
    Pair p;
    CHECK(p.io->read_bytes(10, 1).status == ReadStatus::Timeout);
    p.send("abc");
    auto b = p.io->read_bytes(10, 1);
    CHECK(b.bytes == "abc");
    p.client.reset();
    CHECK(p.io->read_bytes(10, 1).status == ReadStatus::Closed);
}
