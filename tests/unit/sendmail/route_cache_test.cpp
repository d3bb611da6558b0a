// Issue #14 review, finding 3: a temporary DNS failure is not kept for
// the rest of the scan (SEND-37).
#include "harness.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::test;

namespace {
// A resolver whose first `fails` MX queries time out (TempFail).
class FlakyResolver : public MapResolver {
public:
    unsigned fails = 1, mx_queries = 0;
    DnsAnswer<MxRecord> mx(const std::string& d) override {
        if (++mx_queries <= fails) return {DnsStatus::TempFail, {}, "timed out"};
        return MapResolver::mx(d);
    }
};
} // namespace

TEST_CASE("ISSUE14-3 SEND-37 a temporary MX failure is not kept for the rest of the scan", "[sendmail]") {
    Harness h;
    FlakyResolver dns;
    FakeSmtpServer f;
    f.start();
    h.s.allow_loopback_hosts = true;
    h.s.mx_port = f.port();
    h.s.delivery_workers = 1;   // the two messages in order
    dns.hosts["example.com"] = "127.0.0.1";   // no MX record: its own address (SEND-36)
    // The round's look-up and the first message's own one time out; the
    // second message's look-up answers.
    dns.fails = 2;
    uint32_t first = h.queue("bob@example.com", "one\r\n");
    uint32_t second = h.queue("carol@example.com", "two\r\n");
    SendMailDeps d{h.store, dns, *h.connector, Harness::render, h.log};
    SendMail sm(h.s, d);
    auto st = sm.scan(true);
    CHECK(st.failed == 1);
    CHECK(st.sent == 1);
    CHECK(h.hdr(first).delivery_attempts == 1);
    CHECK(h.hdr(second).delivery_attempts == 0);
    CHECK((h.hdr(second).netattr & smb::netattr::SENT) != 0);
    CHECK(dns.mx_queries == 3);   // a good answer is kept for the scan
}

TEST_CASE("ISSUE14-3 SEND-37 domains whose look-up failed at the claim never share a session", "[sendmail]") {
    Harness h;
    FlakyResolver dns;
    FakeSmtpServer f;
    f.start();
    h.s.allow_loopback_hosts = true;
    h.s.mx_port = f.port();
    h.s.delivery_workers = 1;
    dns.hosts["a.example"] = "127.0.0.1";   // no MX records: each domain is its own host (SEND-36)
    dns.hosts["b.example"] = "127.0.0.1";
    // Both of the round's look-ups time out; the workers' own ones answer,
    // with two different routes (hosts a.example and b.example).
    dns.fails = 2;
    uint32_t first = h.queue("bob@a.example", "one\r\n");
    uint32_t second = h.queue("carol@b.example", "two\r\n");
    SendMailDeps d{h.store, dns, *h.connector, Harness::render, h.log};
    SendMail sm(h.s, d);
    CHECK(sm.scan(true).sent == 2);
    CHECK((h.hdr(first).netattr & smb::netattr::SENT) != 0);
    CHECK((h.hdr(second).netattr & smb::netattr::SENT) != 0);
    // One session per route: b.example's mail never goes over the session
    // opened for a.example (a real MX would refuse it as relaying).
    auto s = f.sessions();
    REQUIRE(s.size() == 2);
    CHECK((s[0].data.find("one") != std::string::npos) != (s[1].data.find("one") != std::string::npos));
    for (auto& one : s) CHECK((one.data.find("one") == std::string::npos) != (one.data.find("two") == std::string::npos));
}
