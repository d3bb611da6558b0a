// LibresolvResolver against a dnsmasq on loopback: MX order, A/AAAA, PTR,
// NXDOMAIN vs no-data vs failure, UDP and TCP.
#include "dns/libresolv_resolver.h"
#include "unit/dns/dnsmasq_server.h"

#include "skip.h"

#include <catch.hpp>

#include <atomic>
#include <thread>

using namespace sbbs;

namespace {

const char* kZone =
    "mx-host=example.test,mx-b.example.test,20\n"
    "mx-host=example.test,mx-a.example.test,10\n"
    "mx-host=example.test,mx-c.example.test,30\n"
    "host-record=mx-a.example.test,127.0.0.2\n"
    "host-record=mx-b.example.test,127.0.0.3\n"
    "host-record=mx-c.example.test,127.0.0.4\n"
    "host-record=dual.test,127.0.0.5,::1\n"
    "host-record=nomx.test,127.0.0.6\n"
    "ptr-record=7.0.0.127.in-addr.arpa,pointer.test\n";

ResolverOptions local(const test::DnsmasqServer& d, bool tcp = false) {
    ResolverOptions o;
    o.server = "127.0.0.1";
    o.port = d.port();
    o.use_tcp = tcp;
    o.timeout_s = 2;
    return o;
}

} // namespace

TEST_CASE("SEND-35 MX records come back sorted by preference, all of them", "[dns]") {
    test::DnsmasqServer dns(kZone);
    if (!dns.running()) SBBS_SKIP(dns.why_not());
    LibresolvResolver r(local(dns));
    REQUIRE(r.usable());
    auto mx = r.mx("example.test");
    REQUIRE(mx.status == DnsStatus::Ok);
    REQUIRE(mx.records.size() == 3);
    CHECK(mx.records[0].host == "mx-a.example.test");
    CHECK(mx.records[0].preference == 10);
    CHECK(mx.records[1].host == "mx-b.example.test");
    CHECK(mx.records[2].host == "mx-c.example.test");
}

TEST_CASE("SEND-34 USE_TCP_DNS queries the DNS server over TCP", "[dns]") {
    test::DnsmasqServer dns(kZone);
    if (!dns.running()) SBBS_SKIP(dns.why_not());
    LibresolvResolver r(local(dns, true));
    auto mx = r.mx("example.test");
    REQUIRE(mx.status == DnsStatus::Ok);
    CHECK(mx.records.size() == 3);
    auto a = r.addresses("mx-b.example.test");
    REQUIRE(a.status == DnsStatus::Ok);
    CHECK(a.records == std::vector<std::string>{"127.0.0.3"});
}

TEST_CASE("SEND-36 a domain without MX answers no-data, a missing domain NXDOMAIN", "[dns]") {
    test::DnsmasqServer dns(kZone);
    if (!dns.running()) SBBS_SKIP(dns.why_not());
    LibresolvResolver r(local(dns));
    CHECK(r.mx("nomx.test").status == DnsStatus::NoData);
    CHECK(r.mx("nowhere.test").status == DnsStatus::NxDomain);
    CHECK(r.addresses("nowhere.test").status == DnsStatus::NxDomain);
    CHECK(r.a("nowhere.test").status == DnsStatus::NxDomain);
}

TEST_CASE("resolver: A then AAAA, PTR and first A", "[dns]") {
    test::DnsmasqServer dns(kZone);
    if (!dns.running()) SBBS_SKIP(dns.why_not());
    LibresolvResolver r(local(dns));
    auto a = r.addresses("dual.test");
    REQUIRE(a.status == DnsStatus::Ok);
    CHECK(a.records == std::vector<std::string>{"127.0.0.5", "::1"});
    auto p = r.ptr("127.0.0.7");
    REQUIRE(p.status == DnsStatus::Ok);
    CHECK(p.records == std::vector<std::string>{"pointer.test"});
    auto one = r.a("mx-c.example.test");
    REQUIRE(one.status == DnsStatus::Ok);
    CHECK(one.records.front() == "127.0.0.4");
}

TEST_CASE("SEND-37 a DNS server that does not answer is a temporary failure", "[dns]") {
    ResolverOptions o;
    o.server = "127.0.0.1";
    o.port = test::free_loopback_port();   // nobody listens there
    o.timeout_s = 1;
    LibresolvResolver r(o);
    auto mx = r.mx("example.test");
    CHECK(mx.status == DnsStatus::TempFail);
    CHECK_FALSE(mx.error.empty());
}

TEST_CASE("SEC-1 a look-up completes while another thread waits on a name that never answers", "[dns]") {
    test::SilentNameServer tarpit;
    test::DnsmasqServer dns(std::string(kZone) + "server=/tarpit.example/127.0.0.1#" + std::to_string(tarpit.port()));
    if (!dns.running()) SBBS_SKIP(dns.why_not());
    ResolverOptions o = local(dns);
    o.timeout_s = 20;                    // the stuck query outlasts the good one unless released
    LibresolvResolver r(o);
    std::atomic<bool> stuck_done{false};
    std::thread stuck([&] {
        (void)r.a("host.tarpit.example");
        stuck_done = true;
    });
    const bool forwarded = tarpit.wait_query(10);    // the stuck thread is inside its query now
    DnsAnswer<std::string> good;
    if (forwarded) good = r.a("mx-a.example.test");
    const bool overtook = !stuck_done;
    tarpit.release();
    stuck.join();
    REQUIRE(forwarded);
    CHECK(good.status == DnsStatus::Ok);
    CHECK(overtook);
}

TEST_CASE("SEC-1 session look-ups use short tries on the system's name servers", "[dns]") {
    ResolverOptions o = session_resolver_options();
    CHECK(o.server.empty());
    CHECK(o.timeout_s * o.tries <= 10);
}

TEST_CASE("SEND-33 an unresolvable DNSServer makes the resolver unusable", "[dns]") {
    ResolverOptions o;
    o.server = "no-such-dns-server.invalid";
    LibresolvResolver r(o);
    CHECK_FALSE(r.usable());
    CHECK(r.mx("example.test").status == DnsStatus::TempFail);
}

TEST_CASE("resolver: reverse names for IPv4 and IPv6", "[dns]") {
    CHECK(reverse_name("192.0.2.1") == "1.2.0.192.in-addr.arpa");
    CHECK(reverse_name("::1").substr(0, 4) == "1.0.");
    CHECK(reverse_name("::1").size() == 64 + 8);
    CHECK(reverse_name("nonsense").empty());
}
