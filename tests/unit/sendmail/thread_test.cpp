// The SendMail thread: when it scans and how it stops.
#include "harness.h"

#include "sendmail/sendmail_thread.h"

#include "eventually.h"

#include <catch.hpp>
#include <chrono>
#include <thread>

using namespace sbbs;
using namespace sbbs::test;
using namespace std::chrono_literals;

TEST_CASE("SEND-7 SEND-11 the first scan happens at start; SEND-12 new mail triggers the next", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    auto first = h.queue("bob@remote.example");
    SendMailThread t(h.s, SendMailDeps{h.store, h.dns, *h.connector, Harness::render, h.log}, 20ms);
    REQUIRE(t.start());
    CHECK(eventually([&] { return (h.hdr(first).netattr & smb::netattr::SENT) != 0; }));
    CHECK(eventually([&] { return t.scans() >= 1; }));
    std::this_thread::sleep_for(100ms);
    auto scans = t.scans();
    std::this_thread::sleep_for(100ms);
    CHECK(t.scans() == scans);   // nothing new, RescanFrequency not reached: no scan
    auto second = h.queue("carol@remote.example");
    CHECK(eventually([&] { return (h.hdr(second).netattr & smb::netattr::SENT) != 0; }));
    t.stop();
    CHECK_FALSE(t.running());
    CHECK(h.log.has(LogLevel::Info, "SendMail thread started"));
    CHECK(h.log.has(LogLevel::Debug, "0000 SEND last_msg=1, smb.status.last_msg=2, elapsed="));
    CHECK(h.log.has(LogLevel::Debug, "0000 SendMail thread terminated"));
}

TEST_CASE("SEND-6 NO_SENDMAIL: the thread is not started", "[sendmail]") {
    Harness h;
    h.s.options |= mail_opt::NO_SENDMAIL;
    SendMailThread t(h.s, SendMailDeps{h.store, h.dns, *h.connector, Harness::render, h.log});
    CHECK_FALSE(t.start());
    CHECK_FALSE(t.running());
}

TEST_CASE("SEND-9 stop is prompt while idle", "[sendmail]") {
    Harness h;
    h.s.sem_check_frequency_s = 60;
    SendMailThread t(h.s, SendMailDeps{h.store, h.dns, *h.connector, Harness::render, h.log});
    REQUIRE(t.start());
    std::this_thread::sleep_for(50ms);
    auto t0 = std::chrono::steady_clock::now();
    t.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 2s);
}

TEST_CASE("SEND-14 a mail base that cannot be opened skips the check with a DEBUG line", "[sendmail]") {
    struct Unopenable : MemoryMailStore {
        Result<uint32_t> last_msg() override { return make_error("no such file", ErrorCode::NotFound); }
    };
    Harness h;
    Unopenable store;
    h.s.mail_base = "/sbbs/data/mail";
    SendMailThread t(h.s, SendMailDeps{store, h.dns, *h.connector, Harness::render, h.log}, 20ms);
    REQUIRE(t.start());
    CHECK(eventually([&] { return h.log.has(LogLevel::Debug, "0000 SEND ERROR -1 (no such file) opening: /sbbs/data/mail"); }));
    t.stop();
    CHECK(t.scans() == 0);
}
