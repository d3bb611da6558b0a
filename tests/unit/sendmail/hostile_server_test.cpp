// SEC-5: a receiving server that sends endless replies or stops reading can
// neither grow SendMail's memory nor hold a delivery worker or a stop: every
// reply is bounded, every write has a deadline, and a stop cuts every wait.
#include "harness.h"
#include "stalling_server.h"

#include "eventually.h"

#include <catch.hpp>

#include <chrono>
#include <future>
#include <thread>

using namespace sbbs;
using namespace sbbs::test;
using namespace std::chrono_literals;

namespace {
// Far more than loopback socket buffers hold, so a reader that stops
// reading stalls the writer.
std::string big_body() {
    std::string line(998, 'x');
    line += "\r\n";
    std::string b;
    b.reserve(32u << 20);
    while (b.size() < (32u << 20)) b += line;
    return b;
}
} // namespace

TEST_CASE("SEC-5 SEND-60 an EHLO reply beyond 100 lines or 64 KiB fails the delivery for a later retry",
          "[sendmail]") {
    for (auto [count, width] : {std::pair{1000, 20}, std::pair{40, 2000}}) {
        INFO(count << " lines of " << width);
        Harness h;
        FakeSmtpServer f;
        f.ehlo.assign(size_t(count), "250-" + std::string(size_t(width), 'P'));
        f.ehlo.push_back("250 HELP");   // a final line at last: only the bounds refuse it
        h.start_relay(f);
        auto n = h.queue("bob@remote.example");
        auto sm = h.make();
        CHECK(sm.scan(true).failed == 1);
        auto hdr = h.hdr(n);
        CHECK(hdr.delivery_attempts == 1);
        CHECK_FALSE((hdr.attr & smb::attr::DELETE));
        CHECK(h.log.has(LogLevel::Notice, "!REPLY TOO LONG"));
        for (auto& s : f.sessions()) CHECK_FALSE(contains(s.commands, "MAIL FROM:<John.Doe@bbs.test>"));
    }
}

TEST_CASE("SEC-5 a server that stops reading after 354 fails the delivery within the write time-out",
          "[sendmail]") {
    StallingServer stall;
    Harness h;
    h.s.options |= mail_opt::RELAY_TX;
    h.s.relay_server = "127.0.0.1";
    h.s.relay_port = stall.port();
    h.s.max_inactivity_s = 2;
    auto n = h.queue("bob@remote.example", big_body());
    auto sm = h.make();
    auto scan = std::async(std::launch::async, [&] { return sm.scan(true); });
    bool ended = scan.wait_for(30s) == std::future_status::ready;
    stall.release();   // hangs up: frees a sender without a deadline of its own
    auto st = scan.get();
    CHECK(stall.stalled());
    CHECK(ended);
    CHECK(st.failed == 1);
    CHECK(h.hdr(n).delivery_attempts == 1);
}

TEST_CASE("SEC-5 SEND-9 a stop cuts a stalled delivery short; another destination is served meanwhile",
          "[sendmail]") {
    StallingServer stall;
    FakeSmtpServer good;
    good.start();
    Harness h;
    h.s.max_inactivity_s = 600;   // only the stop can end the stall here
    h.s.allow_loopback_hosts = true;   // explicit routes to this host, for the test
    h.dns.hosts["stall.example"] = "127.0.0.1";
    h.dns.hosts["good.example"] = "127.0.0.1";
    auto stuck = h.queue("bob@stall.example:" + std::to_string(stall.port()), big_body());
    auto fine = h.queue("carol@good.example:" + std::to_string(good.port()));
    auto sm = h.make();
    auto scan = std::async(std::launch::async, [&] { return sm.scan(true); });
    CHECK(eventually([&] { return stall.stalled(); }, 20s));
    CHECK(eventually([&] { auto ss = good.sessions(); return !ss.empty() && contains(ss[0].commands, "QUIT"); }, 20s));
    CHECK(scan.wait_for(0s) != std::future_status::ready);   // still held by the stalled one
    sm.request_stop();
    bool ended = scan.wait_for(10s) == std::future_status::ready;
    stall.release();
    scan.get();
    CHECK(ended);
    CHECK((h.hdr(fine).netattr & smb::netattr::SENT));
    auto held = h.hdr(stuck);
    CHECK_FALSE((held.netattr & (smb::netattr::SENT | smb::netattr::INTRANSIT)));
    CHECK(held.delivery_attempts == 0);   // released unsent: no attempt counted
}

TEST_CASE("SEC-5 a server answering each RCPT just within MaxInactivity is cut off by the transaction deadline",
          "[sendmail]") {
    FakeSmtpServer slow;
    slow.delays["RCPT"] = 1500ms;   // each reply in time for a 2 s MaxInactivity: no single wait times out
    Harness h;
    h.s.max_inactivity_s = 2;       // the deadline of a session: 4 x 2 s (+ size at 4 KiB/s)
    h.start_relay(slow);
    std::vector<uint32_t> queued;
    for (int i = 0; i < 40; ++i) queued.push_back(h.queue("u" + std::to_string(i) + "@remote.example"));   // 60 s of RCPTs
    auto sm = h.make();
    auto scan = std::async(std::launch::async, [&] { return sm.scan(true); });
    bool ended = scan.wait_for(30s) == std::future_status::ready;
    auto st = scan.get();
    CHECK(ended);
    CHECK(st.sent == 0);
    CHECK(st.failed == 40);
    for (auto n : queued) {
        auto hdr = h.hdr(n);
        CHECK(hdr.delivery_attempts == 1);   // a temporary failure: retried later
        CHECK_FALSE((hdr.attr & smb::attr::DELETE));
    }
    auto ss = slow.sessions();
    REQUIRE(ss.size() == 1);
    size_t rcpts = 0;
    for (auto& c : ss[0].commands) rcpts += c.rfind("RCPT TO:", 0) == 0;
    CHECK(rcpts < 40);
    CHECK(h.log.has(LogLevel::Notice, "!SESSION TIME LIMIT"));
}
