// SendMail with the real resolver against a dnsmasq on loopback.
#include "harness.h"

#include "sendmail/dns_setup.h"
#include "unit/dns/dnsmasq_server.h"

#include "skip.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::test;

namespace {
const char* kZone =
    "mx-host=remote.test,mx-dead.remote.test,5\n"
    "mx-host=remote.test,mx-live.remote.test,10\n"
    "host-record=mx-live.remote.test,127.0.0.1\n"
    "host-record=plain.test,127.0.0.1\n";
} // namespace

TEST_CASE("SEND-30 MX look-up through DNSServer: the best reachable MX gets the mail", "[sendmail]") {
    DnsmasqServer dns(kZone);
    if (!dns.running()) SBBS_SKIP(dns.why_not());
    for (bool tcp : {false, true}) {
        Harness h;
        FakeSmtpServer f;
        f.start();
        h.s.dns_server = "127.0.0.1";
        h.s.dns_port = dns.port();
        if (tcp) h.s.options |= mail_opt::USE_TCP_DNS;
        h.s.allow_loopback_hosts = true;
        h.s.mx_port = f.port();
        auto resolver = make_resolver(h.s);
        REQUIRE(resolver->usable());
        auto n = h.queue("bob@remote.test");
        auto plain = h.queue("carol@plain.test");
        SendMail sm(h.s, SendMailDeps{h.store, *resolver, *h.connector, Harness::render, h.log});
        CHECK(sm.scan(true).sent == 2);
        CHECK((h.hdr(n).netattr & smb::netattr::SENT));
        CHECK((h.hdr(plain).netattr & smb::netattr::SENT));
        CHECK(h.log.has(LogLevel::Warning, "!Failure resolving hostname: 'mx-dead.remote.test'"));
        CHECK(f.sessions().size() == 2);
    }
}

TEST_CASE("SEND-38 ours: NXDOMAIN from the DNS server bounces at once", "[sendmail]") {
    DnsmasqServer dns(kZone);
    if (!dns.running()) SBBS_SKIP(dns.why_not());
    Harness h;
    h.s.dns_server = "127.0.0.1";
    h.s.dns_port = dns.port();
    auto resolver = make_resolver(h.s);
    auto n = h.queue("bob@missing.test");
    SendMail sm(h.s, SendMailDeps{h.store, *resolver, *h.connector, Harness::render, h.log});
    CHECK(sm.scan(true).bounced == 1);
    CHECK((h.hdr(n).attr & smb::attr::DELETE));
    CHECK(h.notices().size() == 1);
}

TEST_CASE("SEND-33 ours: an unusable DNSServer counts an attempt instead of retrying forever", "[sendmail]") {
    Harness h;
    h.s.dns_server = "no-such-dns-server.invalid";
    auto resolver = make_resolver(h.s);
    REQUIRE_FALSE(resolver->usable());
    auto n = h.queue("bob@remote.test");
    SendMail sm(h.s, SendMailDeps{h.store, *resolver, *h.connector, Harness::render, h.log});
    CHECK(sm.scan(true).failed == 1);
    CHECK(h.hdr(n).delivery_attempts == 1);
    CHECK_FALSE((h.hdr(n).netattr & smb::netattr::INTRANSIT));
    CHECK(h.notices().empty());
}

TEST_CASE("SEND-32 a DNSServer value not starting with a letter or digit means the system's", "[sendmail]") {
    SendMailSettings s;
    s.dns_server = ";none";
    CHECK(resolver_options(s).server.empty());
    s.dns_server = "9.9.9.9";
    CHECK(resolver_options(s).server == "9.9.9.9");
    s.options = mail_opt::USE_TCP_DNS;
    CHECK(resolver_options(s).use_tcp);
}
