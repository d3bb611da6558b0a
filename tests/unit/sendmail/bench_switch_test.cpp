// ISSUE14-1 / SEND-41: the bench-only switch SBBSMAIL_TEST_ALLOW_LOOPBACK_MX
// is off by default and only "1" turns it on; without it a loop-back MX is
// still refused, with it the bench's loop-back sinks are reached.
#include <catch2/catch.hpp>

#include "harness.h"
#include "sendmail/bench_switch.h"

#include <cstdlib>

using namespace sbbs;
using namespace sbbs::test;

namespace {
// remote.example's MX is on 127.0.0.1, where `f` listens.
uint32_t queue_to_loopback_mx(Harness& h, const FakeSmtpServer& f) {
    h.s.mx_port = f.port();
    h.dns.mx_answers["remote.example"] = {DnsStatus::Ok, {{10, "mx.remote.example"}}, {}};
    h.dns.hosts["mx.remote.example"] = "127.0.0.1";
    return h.queue("bob@remote.example");
}
} // namespace

TEST_CASE("ISSUE14-1 SEND-41 the loop-back MX switch is off by default", "[sendmail]") {
    SendMailSettings s;
    CHECK_FALSE(s.allow_loopback_hosts);
    for (const char* value : {static_cast<const char*>(nullptr), "", "0", "true", "yes", "1 ", "01"}) {
        SendMailSettings t;
        CHECK_FALSE(apply_loopback_mx_switch(t, value));
        CHECK_FALSE(t.allow_loopback_hosts);
    }
    ::unsetenv(kAllowLoopbackMxEnv);
    CHECK_FALSE(apply_loopback_mx_switch(s, std::getenv(kAllowLoopbackMxEnv)));
    CHECK_FALSE(s.allow_loopback_hosts);
}

TEST_CASE("ISSUE14-1 SEND-41 without the switch a loop-back MX is still refused", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.start();
    ::unsetenv(kAllowLoopbackMxEnv);
    apply_loopback_mx_switch(h.s, std::getenv(kAllowLoopbackMxEnv));
    auto n = queue_to_loopback_mx(h, f);
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(f.sessions().empty());
    CHECK_FALSE((h.hdr(n).netattr & smb::netattr::SENT));
    CHECK(h.log.has(LogLevel::Info, "SEND Bad IP address (127.0.0.1) for MX server: mx.remote.example"));
}

TEST_CASE("ISSUE14-1 with the switch set to 1 the bench's loop-back MX is reached", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.start();
    CHECK(apply_loopback_mx_switch(h.s, "1"));
    auto n = queue_to_loopback_mx(h, f);
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(f.sessions().size() == 1);
    CHECK((h.hdr(n).netattr & smb::netattr::SENT));
}
