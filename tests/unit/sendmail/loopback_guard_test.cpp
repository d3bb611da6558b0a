// SEC-10 (SEND-41): the MX loop-back guard judges the parsed address, so no
// spelling of this host (IPv4-mapped, long IPv6 form, unspecified) is
// contacted as an MX; relay and explicit-port routes stay exempt as in the
// original.
#include "fake_connector.h"

#include "sendmail/route.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::test;

namespace {
const std::vector<std::string> kThisHost = {
    "127.0.0.1", "127.1.2.3", "0.0.0.0", "0.1.2.3", "::1", "0:0:0:0:0:0:0:1", "::", "0:0:0:0:0:0:0:0",
    "::ffff:127.0.0.1", "::FFFF:127.9.9.9", "0:0:0:0:0:ffff:7f00:1", "::ffff:0.0.0.0", "[::1]", "[127.0.0.1]"};
} // namespace

TEST_CASE("SEC-10 SEND-41 every spelling of loopback or unspecified reaches this host", "[sendmail]") {
    for (auto& ip : kThisHost) {
        INFO(ip);
        CHECK(reaches_this_host(ip));
    }
    for (std::string ip : {"192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1", "128.0.0.1", "1.0.0.0", "::2"}) {
        INFO(ip);
        CHECK_FALSE(reaches_this_host(ip));
    }
}

TEST_CASE("SEC-10 SEND-41 an MX host resolving to any form of this host is not contacted", "[sendmail]") {
    for (auto& ip : kThisHost) {
        INFO(ip);
        Harness h;
        FakeConnector& ref = use_fake(h);
        mx(h, "remote.example", ip);
        auto n = h.queue("bob@remote.example");
        auto sm = h.make();
        CHECK(sm.scan(true).failed == 1);
        CHECK(ref.events().empty());
        CHECK(h.hdr(n).delivery_attempts == 1);
        CHECK(h.log.has(LogLevel::Info, "SEND Bad IP address (" + ip + ") for MX server: mx.remote.example"));
    }
}

TEST_CASE("SEC-10 SEND-41 an MX host named by an address literal is judged the same way", "[sendmail]") {
    Harness h;
    FakeConnector& ref = use_fake(h);
    h.dns.mx_answers["remote.example"] = {DnsStatus::Ok, {{10, "[::ffff:127.0.0.1]"}, {20, "0:0:0:0:0:0:0:1"}}, {}};
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(ref.events().empty());
}

TEST_CASE("SEC-10 an explicit user@host:port route to this host is not contacted either", "[sendmail]") {
    for (std::string host : {"127.0.0.1", "127.1.2.3", "0.0.0.0", "loop.example", "loop6.example"}) {
        INFO(host);
        Harness h;
        FakeConnector& ref = use_fake(h);
        h.dns.hosts["loop.example"] = "::ffff:127.0.0.2";
        h.dns.hosts["loop6.example"] = "0:0:0:0:0:0:0:1";
        auto n = h.queue("bob@" + host + ":6379");
        auto sm = h.make();
        CHECK(sm.scan(true).failed == 1);
        CHECK(ref.events().empty());
        CHECK(h.hdr(n).delivery_attempts == 1);
        CHECK(h.log.has(LogLevel::Info, "SEND Bad IP address ("));
    }
}

TEST_CASE("SEC-10 SEND-41 a public MX address is still contacted", "[sendmail]") {
    Harness h;
    FakeConnector& ref = use_fake(h);
    mx(h, "remote.example", "::ffff:192.0.2.1");
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(ref.index_of("connect ::ffff:192.0.2.1") < ref.events().size());
}
