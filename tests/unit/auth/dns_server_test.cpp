// DKIM and DMARC through the real resolver against a dnsmasq on loopback
// serving the key (split into two character-strings, as long keys are) and
// the policy: the path the intake will take, minus the intake.
#include "auth/dkim_dmarc_step.h"
#include "dkim_fixture.h"
#include "dns/libresolv_resolver.h"
#include "unit/dns/dnsmasq_server.h"

#include "skip.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::auth;
using namespace sbbs::test;

TEST_CASE("RFC6376-3.6.2.2 RFC7489-6.6.3 a key in two strings and a policy served by a DNS server", "[auth][dkim]") {
    const TestKey& key = rsa_key();
    const size_t half = key.record.size() / 2;
    DnsmasqServer dns("txt-record=s1._domainkey.example.test,\"" + key.record.substr(0, half) + "\",\"" +
                      key.record.substr(half) + "\"\n" +
                      "txt-record=_dmarc.example.test,\"v=DMARC1; p=reject\"\n");
    if (!dns.running()) SBBS_SKIP(dns.why_not());
    ResolverOptions o;
    o.server = "127.0.0.1";
    o.port = dns.port();
    o.timeout_s = 2;
    LibresolvResolver resolver(o);
    SignOptions sign;
    sign.domain = "example.test";
    sign.time = uint64_t(system_seconds());
    std::string text = "From: Joe <joe@example.test>\r\nSubject: hi\r\n\r\nbody\r\n";
    MessageAuthentication a;
    DkimDmarcStep(resolver).run(dkim_signature(text, key, sign) + text, a);
    REQUIRE(a.dkim.size() == 1);
    CHECK(a.dkim[0].result == DkimResult::Pass);
    REQUIRE(a.dmarc);
    CHECK(a.dmarc->result == DmarcResult::Pass);
    CHECK(a.dmarc->policy == DmarcPolicy::Reject);

    MessageAuthentication forged;                       // unsigned, From the same domain
    DkimDmarcStep(resolver).run(text, forged);
    CHECK(forged.dkim.empty());
    CHECK(forged.dmarc->result == DmarcResult::Fail);
}
