// DMARC (RFC 7489): policy discovery through a resolver double, alignment of
// the SPF and DKIM identifiers, p=/sp=/pct=, organizational domains from the
// Public Suffix List Debian ships.
#include "auth/dkim_dmarc_step.h"
#include "auth/dmarc_eval.h"
#include "auth/from_domain.h"
#include "auth/org_domain.h"
#include "txt_resolver.h"

#include "skip.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::auth;
using namespace sbbs::test;

namespace {

DkimVerdict dkim(const std::string& d, DkimResult r = DkimResult::Pass) {
    return DkimVerdict{r, d, "s1", "rsa-sha256", ""};
}
std::optional<SpfVerdict> spf(const std::string& d, SpfResult r = SpfResult::Pass) {
    return SpfVerdict{r, "mailfrom", d, ""};
}
unsigned draw_50() { return 50; }

struct Dmarc {
    TxtResolver dns;
    DmarcVerdict run(const std::string& from, const std::optional<SpfVerdict>& s, const std::vector<DkimVerdict>& k) {
        return evaluate_dmarc(from, s, k, dns, draw_50);
    }
};

void need_psl() {
    if (!public_suffix_list_loaded()) SBBS_SKIP("the publicsuffix package is not installed");
}

} // namespace

TEST_CASE("RFC7489-3.1 DMARC passes through an aligned DKIM pass, and through an aligned SPF pass", "[auth][dmarc]") {
    need_psl();
    Dmarc d;
    d.dns.set("_dmarc.example.com", "v=DMARC1; p=reject");
    auto v = d.run("example.com", spf("bounce.other.net"), {dkim("example.com")});
    CHECK(v.result == DmarcResult::Pass);
    CHECK(v.policy == DmarcPolicy::Reject);
    CHECK(v.from_domain == "example.com");
    CHECK(d.run("example.com", spf("example.com"), {dkim("other.net")}).result == DmarcResult::Pass);
    CHECK(d.run("example.com", spf("mail.example.com"), {}).result == DmarcResult::Pass);   // relaxed
}

TEST_CASE("RFC7489-6.6.2 unaligned or failing identifiers fail, with each policy", "[auth][dmarc]") {
    need_psl();
    for (auto [p, want] : {std::pair{"none", DmarcPolicy::None}, std::pair{"quarantine", DmarcPolicy::Quarantine},
                           std::pair{"reject", DmarcPolicy::Reject}}) {
        Dmarc d;
        d.dns.set("_dmarc.example.com", std::string("v=DMARC1; p=") + p);
        auto v = d.run("example.com", spf("other.net"), {dkim("other.net"), dkim("example.com", DkimResult::Fail)});
        CHECK(v.result == DmarcResult::Fail);
        CHECK(v.policy == want);
        CHECK_FALSE(v.sampled_out);
    }
    Dmarc softfail;
    softfail.dns.set("_dmarc.example.com", "v=DMARC1; p=reject");
    CHECK(softfail.run("example.com", spf("example.com", SpfResult::Softfail), {}).result == DmarcResult::Fail);
}

TEST_CASE("RFC7489-3.1.1 strict adkim/aspf need the exact From domain; relaxed takes the organizational domain",
          "[auth][dmarc]") {
    need_psl();
    Dmarc d;
    d.dns.set("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s; aspf=s");
    CHECK(d.run("example.com", spf("mail.example.com"), {dkim("mail.example.com")}).result == DmarcResult::Fail);
    CHECK(d.run("example.com", {}, {dkim("example.com")}).result == DmarcResult::Pass);
    CHECK(d.run("example.com", spf("example.com"), {}).result == DmarcResult::Pass);
    Dmarc relaxed;
    relaxed.dns.set("_dmarc.example.com", "v=DMARC1; p=reject; adkim=r");
    CHECK(relaxed.run("example.com", {}, {dkim("mail.example.com")}).result == DmarcResult::Pass);
    CHECK(relaxed.run("example.com", {}, {dkim("example.net")}).result == DmarcResult::Fail);
    // A public suffix is nobody's organization: d=com or a MAIL FROM of
    // co.uk aligns with nothing under it.
    CHECK(relaxed.run("example.com", spf("com"), {dkim("com")}).result == DmarcResult::Fail);
    relaxed.dns.set("_dmarc.example.co.uk", "v=DMARC1; p=reject");
    CHECK(relaxed.run("example.co.uk", spf("co.uk"), {dkim("co.uk")}).result == DmarcResult::Fail);
}

TEST_CASE("RFC7489-6.6.3 a subdomain without a record takes the organizational domain's, with sp=", "[auth][dmarc]") {
    need_psl();
    Dmarc d;
    d.dns.set("_dmarc.example.co.uk", "v=DMARC1; p=none; sp=reject");
    auto v = d.run("mail.example.co.uk", {}, {dkim("other.net")});
    CHECK(v.result == DmarcResult::Fail);
    CHECK(v.policy == DmarcPolicy::Reject);
    CHECK(d.dns.queries["_dmarc.mail.example.co.uk"] == 1);
    CHECK(d.dns.queries["_dmarc.example.co.uk"] == 1);
    CHECK(d.dns.queries.count("_dmarc.co.uk") == 0);            // never above the organizational domain
    // The organizational domain itself is judged by p=.
    CHECK(d.run("example.co.uk", {}, {}).policy == DmarcPolicy::None);
    // A signature of the organizational domain aligns (relaxed) with the subdomain's From.
    CHECK(d.run("mail.example.co.uk", {}, {dkim("example.co.uk")}).result == DmarcResult::Pass);
    // Without sp=, p= applies to subdomains too.
    d.dns.set("_dmarc.example.co.uk", "v=DMARC1; p=quarantine");
    CHECK(d.run("mail.example.co.uk", {}, {}).policy == DmarcPolicy::Quarantine);
}

TEST_CASE("RFC7489-3.2 organizational domains from the Public Suffix List", "[auth][dmarc]") {
    need_psl();
    CHECK(organizational_domain("mail.example.co.uk") == "example.co.uk");
    CHECK(organizational_domain("a.b.example.com") == "example.com");
    CHECK(organizational_domain("example.com") == "example.com");
    CHECK(organizational_domain("x.user.github.io") == "user.github.io");   // a private-section suffix
    CHECK(organizational_domain("a.b.example.unknowntld") == "example.unknowntld");   // the default rule "*"
}

TEST_CASE("RFC7489-6.6.4 pct= samples the policy: pct=0 leaves every failing message out", "[auth][dmarc]") {
    need_psl();
    Dmarc d;
    d.dns.set("_dmarc.example.com", "v=DMARC1; p=reject; pct=0");
    auto v = d.run("example.com", {}, {});
    CHECK(v.result == DmarcResult::Fail);
    CHECK(v.sampled_out);
    d.dns.set("_dmarc.example.com", "v=DMARC1; p=reject; pct=60");
    CHECK_FALSE(d.run("example.com", {}, {}).sampled_out);      // draw 50 < 60: in the sample
    d.dns.set("_dmarc.example.com", "v=DMARC1; p=reject; pct=40");
    CHECK(d.run("example.com", {}, {}).sampled_out);            // draw 50 >= 40: out
    CHECK_FALSE(d.run("example.com", {}, {dkim("example.com")}).sampled_out);   // a pass is never sampled
}

TEST_CASE("RFC7489-6.6.3 no record is none; a DNS failure is temperror; a bad record is permerror", "[auth][dmarc]") {
    need_psl();
    Dmarc d;
    auto v = d.run("example.com", {}, {});
    CHECK(v.result == DmarcResult::None);
    CHECK(v.policy == DmarcPolicy::Unset);
    d.dns.set("_dmarc.example.com", "v=spf1 -all");             // not a DMARC record: ignored
    CHECK(d.run("example.com", {}, {}).result == DmarcResult::None);
    d.dns.table["_dmarc.example.com"] = {"v=DMARC1; p=none", "v=DMARC1; p=reject"};
    CHECK(d.run("example.com", {}, {}).result == DmarcResult::None);   // two records: no policy
    d.dns.set("_dmarc.example.com", "v=DMARC1; p=bogus");
    CHECK(d.run("example.com", {}, {}).result == DmarcResult::Permerror);
    d.dns.down.insert("_dmarc.example.com");
    CHECK(d.run("example.com", {}, {dkim("example.com")}).result == DmarcResult::Temperror);
    CHECK(d.run("", {}, {dkim("example.com")}).result == DmarcResult::Permerror);
}

TEST_CASE("RFC7489-6.6.1 the author domain: exactly one From field with one domain", "[auth][dmarc]") {
    CHECK(rfc5322_from_domain("From: Joe <joe@Mail.Example.COM>\r\nTo: x@y\r\n\r\nbody").domain == "mail.example.com");
    CHECK(rfc5322_from_domain("From: a@example.com, b@EXAMPLE.com\r\n\r\n").domain == "example.com");
    CHECK(rfc5322_from_domain("From:\r\n joe@example.com\r\n\r\n").domain == "example.com");
    for (const char* bad : {"To: x@y\r\n\r\nFrom: a@example.com\r\n", "From: a@example.com\r\nFrom: b@example.com\r\n\r\n",
                            "From: a@example.com, b@other.net\r\n\r\n", "From: joe\r\n\r\n", "From: <>\r\n\r\n",
                            "From: a@[192.0.2.1]\r\n\r\n"}) {
        INFO(bad);
        auto a = rfc5322_from_domain(bad);
        CHECK(a.domain.empty());
        CHECK_FALSE(a.problem.empty());
    }
}

TEST_CASE("RFC7489-4 the DKIM/DMARC step fills a message's verdicts from its text and its SPF verdict",
          "[auth][dmarc]") {
    need_psl();
    TxtResolver dns;
    dns.set("_dmarc.example.com", "v=DMARC1; p=reject");
    const std::string text = "From: Joe <joe@example.com>\r\nSubject: hi\r\n\r\nbody\r\n";
    MessageAuthentication a;
    a.spf_mailfrom = spf("example.com");
    DkimDmarcStep(dns, nullptr, draw_50).run(text, a);
    CHECK(a.dkim.empty());
    REQUIRE(a.dmarc);
    CHECK(a.dmarc->result == DmarcResult::Pass);
    CHECK(a.dmarc->from_domain == "example.com");

    MessageAuthentication helo_only;                     // null reverse path: HELO's verdict stands in
    helo_only.spf_helo = SpfVerdict{SpfResult::Fail, "helo", "mx.example.com", ""};
    DkimDmarcStep(dns, nullptr, draw_50).run(text, helo_only);
    CHECK(helo_only.dmarc->result == DmarcResult::Fail);
    CHECK(helo_only.dmarc->policy == DmarcPolicy::Reject);
}
