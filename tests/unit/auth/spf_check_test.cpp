// SPF through libspf2 with our DNS layer, on a fake resolver: every result
// of RFC 7208 2.6, the mechanisms and modifiers, macros, and the limits of
// 4.6.4. Addresses are from the documentation ranges (RFC 5737, 3849).
#include "auth/spf_check.h"
#include "fake_dns.h"
#include "state/temp_db.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::auth;
using sbbs::test::FakeDns;

namespace {

SpfVerdict check(FakeDns& dns, const std::string& ip, const std::string& from, const std::string& helo = "mx.example.net") {
    SpfChecker c(dns, nullptr);
    return c.check_mail_from({ip, helo, from, "bbs.example"});
}

SpfResult result(FakeDns& dns, const std::string& ip, const std::string& from) { return check(dns, ip, from).result; }

} // namespace

TEST_CASE("RFC7208-2.6 pass, fail, softfail and neutral from the record's qualifiers", "[auth]") {
    FakeDns dns;
    dns.txt("example.org", {"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all"});
    dns.txt("hard.example", {"v=spf1 +ip4:192.0.2.1 -all"});
    dns.txt("neutral.example", {"v=spf1 ?all"});
    CHECK(result(dns, "192.0.2.10", "alice@example.org") == SpfResult::Pass);
    CHECK(result(dns, "::ffff:192.0.2.10", "alice@example.org") == SpfResult::Pass);   // RFC7208-5.6 v4-mapped
    CHECK(result(dns, "2001:db8::5", "alice@example.org") == SpfResult::Pass);
    CHECK(result(dns, "198.51.100.1", "alice@example.org") == SpfResult::Softfail);
    CHECK(result(dns, "198.51.100.1", "bob@hard.example") == SpfResult::Fail);
    CHECK(result(dns, "198.51.100.1", "bob@neutral.example") == SpfResult::Neutral);
    auto v = check(dns, "192.0.2.10", "alice@example.org");
    CHECK(v.identity == "mailfrom");
    CHECK(v.domain == "example.org");
}

TEST_CASE("RFC7208-4.5 none: no record, no domain, another TXT only, an unusable domain", "[auth]") {
    FakeDns dns;
    dns.txt("other.example", {"google-site-verification=abc", "v=spf10 -all"});
    CHECK(result(dns, "192.0.2.1", "a@missing.example") == SpfResult::None);
    CHECK(result(dns, "192.0.2.1", "a@other.example") == SpfResult::None);
    CHECK(result(dns, "192.0.2.1", "a@localhost") == SpfResult::None);                    // RFC7208-4.3
    CHECK(result(dns, "192.0.2.1", "a@[192.0.2.1]") == SpfResult::None);
}

TEST_CASE("RFC7208-4.3 review 2: an unusable domain with a bare CR comes back printable", "[auth]") {
    FakeDns dns;
    auto v = check(dns, "192.0.2.1", "x@a\rX-Evil:injected");
    CHECK(v.result == SpfResult::None);
    CHECK(v.domain == "a?X-Evil:injected");
}

TEST_CASE("RFC7208-4.4 temperror when the record cannot be fetched, never a guess", "[auth]") {
    FakeDns dns;
    dns.fail("down.example", DnsType::Txt);
    dns.txt("partly.example", {"v=spf1 a:host.down.example -all"});
    dns.fail("host.down.example", DnsType::A);
    auto v = check(dns, "192.0.2.1", "a@down.example");
    CHECK(v.result == SpfResult::Temperror);
    CHECK(v.explanation.find("SERVFAIL") != std::string::npos);
    CHECK(result(dns, "192.0.2.1", "a@partly.example") == SpfResult::Temperror);
}

TEST_CASE("RFC7208-4.6 permerror: a syntax error, two records, an unknown mechanism", "[auth]") {
    FakeDns dns;
    dns.txt("syntax.example", {"v=spf1 ip4:192.0.2.300 -all"});
    dns.txt("two.example", {"v=spf1 -all", "v=spf1 +all"});
    dns.txt("unknown.example", {"v=spf1 frobnicate:x -all"});
    CHECK(result(dns, "192.0.2.1", "a@syntax.example") == SpfResult::Permerror);
    CHECK(result(dns, "192.0.2.1", "a@two.example") == SpfResult::Permerror);          // RFC7208-4.5
    CHECK(result(dns, "192.0.2.1", "a@unknown.example") == SpfResult::Permerror);
}

TEST_CASE("RFC7208-5.2 include: a match passes, a non-match goes on, a domain without a record is permerror", "[auth]") {
    FakeDns dns;
    dns.txt("example.org", {"v=spf1 include:_spf.provider.example -all"});
    dns.txt("_spf.provider.example", {"v=spf1 ip4:203.0.113.0/24 -all"});
    dns.txt("broken.example", {"v=spf1 include:nothing.example -all"});
    CHECK(result(dns, "203.0.113.9", "a@example.org") == SpfResult::Pass);
    CHECK(result(dns, "198.51.100.1", "a@example.org") == SpfResult::Fail);
    CHECK(result(dns, "198.51.100.1", "a@broken.example") == SpfResult::Permerror);
}

TEST_CASE("RFC7208-6.1 redirect= takes over when nothing matched; RFC7208-6.2 exp= explains a fail with macros", "[auth]") {
    FakeDns dns;
    dns.txt("example.org", {"v=spf1 ip4:192.0.2.1 redirect=_spf.example.org"});
    dns.txt("_spf.example.org", {"v=spf1 ip4:203.0.113.7 -all exp=why.example.org"});
    dns.txt("why.example.org", {"%{i}.is.not.one.of.%{d}.senders.for.%{l}"});
    dns.txt("spaced.example", {"v=spf1 -all exp=why.spaced.example"});
    dns.txt("why.spaced.example", {"Not %{i} for %{d}"});
    CHECK(result(dns, "203.0.113.7", "a@example.org") == SpfResult::Pass);
    auto v = check(dns, "198.51.100.1", "bob@example.org");
    CHECK(v.result == SpfResult::Fail);
    CHECK(v.explanation == "198.51.100.1.is.not.one.of._spf.example.org.senders.for.bob");
    auto spaced = check(dns, "198.51.100.1", "bob@spaced.example");   // libspf2 1.2.10 garbles it: left out
    CHECK(spaced.result == SpfResult::Fail);
    CHECK(spaced.explanation.empty());
}

TEST_CASE("RFC7208-5.3 RFC7208-5.4 a and mx with CIDR lengths, RFC7208-5.5 ptr", "[auth]") {
    FakeDns dns;
    dns.txt("example.org", {"v=spf1 a/30 mx:mail.example.org -all"});
    dns.a("example.org", {"192.0.2.4"});
    dns.mx("mail.example.org", {"10 mx1.example.org", "20 mx2.example.org"});
    dns.a("mx1.example.org", {"198.51.100.20"});
    dns.a("mx2.example.org", {"198.51.100.30"});
    CHECK(result(dns, "192.0.2.7", "a@example.org") == SpfResult::Pass);
    CHECK(result(dns, "192.0.2.8", "a@example.org") == SpfResult::Fail);
    CHECK(result(dns, "198.51.100.30", "a@example.org") == SpfResult::Pass);
    dns.txt("ptr.example", {"v=spf1 ptr -all"});
    dns.ptr("9.113.0.203.in-addr.arpa", {"host.ptr.example"});
    dns.a("host.ptr.example", {"203.0.113.9"});
    CHECK(result(dns, "203.0.113.9", "a@ptr.example") == SpfResult::Pass);
    CHECK(result(dns, "203.0.113.10", "a@ptr.example") == SpfResult::Fail);
}

TEST_CASE("RFC7208-7 macros in exists: (reversed IP, local part, domain)", "[auth]") {
    FakeDns dns;
    dns.txt("example.org", {"v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all"});
    dns.a("1.2.0.192.bob._spf.example.org", {"127.0.0.2"});
    // "bob-carol": parts bob, carol; reversed carol, bob; the right-most one: bob
    CHECK(result(dns, "192.0.2.1", "bob-carol@example.org") == SpfResult::Pass);
    CHECK(result(dns, "192.0.2.1", "carol-bob@example.org") == SpfResult::Fail);
}

TEST_CASE("RFC7208-4.6.4 more than ten DNS-querying terms is permerror", "[auth]") {
    FakeDns dns;
    std::string rec = "v=spf1";
    for (int i = 0; i < 11; ++i) {
        rec += " include:i" + std::to_string(i) + ".example";
        dns.txt("i" + std::to_string(i) + ".example", {"v=spf1 ?ip4:203.0.113.1 -all"});
    }
    dns.txt("many.example", {rec + " -all"});
    dns.txt("ten.example", {rec.substr(0, rec.rfind(" include:")) + " -all"});
    CHECK(result(dns, "192.0.2.1", "a@many.example") == SpfResult::Permerror);
    CHECK(result(dns, "192.0.2.1", "a@ten.example") == SpfResult::Fail);
}

TEST_CASE("RFC7208-4.6.4 more than two void look-ups is permerror; two are not", "[auth]") {
    FakeDns dns;
    dns.txt("void3.example", {"v=spf1 a:n1.example a:n2.example a:n3.example -all"});
    dns.txt("void2.example", {"v=spf1 a:n1.example a:n2.example -all"});
    auto v = check(dns, "192.0.2.1", "a@void3.example");
    CHECK(v.result == SpfResult::Permerror);
    CHECK(v.explanation == "more than 2 void DNS look-ups");
    CHECK(result(dns, "192.0.2.1", "a@void2.example") == SpfResult::Fail);
}

TEST_CASE("RFC7208-4.6.4 an mx with more than ten names is permerror", "[auth]") {
    FakeDns dns;
    std::vector<std::string> names;
    for (int i = 0; i < 11; ++i) names.push_back(std::to_string(i) + " mx" + std::to_string(i) + ".example.org");
    dns.mx("example.org", names);
    dns.txt("example.org", {"v=spf1 mx -all"});
    CHECK(result(dns, "192.0.2.1", "a@example.org") == SpfResult::Permerror);
}

TEST_CASE("RFC7208-2.3 RFC7208-2.4 the HELO identity, and postmaster@helo for a null reverse path", "[auth]") {
    FakeDns dns;
    dns.txt("mx.example.net", {"v=spf1 ip4:192.0.2.25 -all"});
    SpfChecker c(dns, nullptr);
    auto helo = c.check_helo({"192.0.2.25", "mx.example.net", "a@whatever.example", "bbs.example"});
    CHECK(helo.result == SpfResult::Pass);
    CHECK(helo.identity == "helo");
    auto bounce = c.check_mail_from({"198.51.100.1", "mx.example.net", "", "bbs.example"});
    CHECK(bounce.result == SpfResult::Fail);
    CHECK(bounce.domain == "mx.example.net");
    CHECK(c.check_helo({"192.0.2.25", "[192.0.2.25]", "", "bbs.example"}).result == SpfResult::None);
    CHECK(SpfChecker::sender_of({"", "h.example", "", ""}) == "postmaster@h.example");
    CHECK(SpfChecker::sender_of({"", "h.example", "example.org", ""}) == "postmaster@example.org");
}

TEST_CASE("RFC7208-2.6 a loopback client is checked like any other (no libspf2 free pass)", "[auth]") {
    FakeDns dns;
    dns.txt("example.org", {"v=spf1 ip4:192.0.2.1 -all"});
    CHECK(result(dns, "127.0.0.9", "a@example.org") == SpfResult::Fail);
}

TEST_CASE("RFC7208-4.6.4 look-ups come from the state cache while their TTL lasts", "[auth]") {
    sbbs::test::TempDb t;
    DnsRecordCache cache(*t.db, t.clock());
    FakeDns dns;
    dns.txt("example.org", {"v=spf1 a -all"});
    dns.a("example.org", {"192.0.2.1"});
    SpfChecker c(dns, &cache);
    CHECK(c.check_mail_from({"192.0.2.1", "h.example", "a@example.org", ""}).result == SpfResult::Pass);
    const unsigned first = dns.queries;
    CHECK(first == 2);
    CHECK(c.check_mail_from({"192.0.2.2", "h.example", "a@example.org", ""}).result == SpfResult::Fail);
    CHECK(dns.queries == first);
    t.now += 3601;
    CHECK(c.check_mail_from({"192.0.2.1", "h.example", "a@example.org", ""}).result == SpfResult::Pass);
    CHECK(dns.queries == first + 2);
}

TEST_CASE("RFC7208-4.6.4 past the check's time budget every look-up is a temporary error", "[auth]") {
    FakeDns dns;
    dns.txt("example.org", {"v=spf1 -all"});
    SpfChecker c(dns, nullptr, std::chrono::seconds(0));
    CHECK(c.check_mail_from({"192.0.2.1", "h.example", "a@example.org", ""}).result == SpfResult::Temperror);
    CHECK(dns.queries == 0);
}

TEST_CASE("RFC7208-4.4 review 1: a slow failure for one domain does not change a later check of another domain", "[auth]") {
    FakeDns dns;
    dns.fail("attacker.example", DnsType::Txt);
    dns.txt("victim.example", {"v=spf1 -all"});
    auto t = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    dns.on_query = [&] { t += std::chrono::seconds(3); };          // each query waits 3 s
    SpfChecker c(dns, nullptr, std::chrono::seconds(12), [&] { return t; });
    CHECK(c.check_mail_from({"192.0.2.1", "h.example", "a@attacker.example", ""}).result == SpfResult::Temperror);
    CHECK(dns.queries == 1);
    auto v = c.check_mail_from({"192.0.2.1", "h.example", "ceo@victim.example", ""});
    CHECK(v.result == SpfResult::Fail);
    CHECK(dns.queries == 2);
}

TEST_CASE("RFC7208-4.4 within one check, a name server that stopped answering is not asked again", "[auth]") {
    FakeDns dns;
    dns.txt("slow.example", {"v=spf1 a:one.down.example a:two.down.example -all"});
    dns.fail("one.down.example", DnsType::A);
    dns.fail("two.down.example", DnsType::A);
    auto t = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    dns.on_query = [&] { t += std::chrono::seconds(3); };
    SpfChecker c(dns, nullptr, std::chrono::seconds(12), [&] { return t; });
    CHECK(c.check_mail_from({"192.0.2.1", "h.example", "a@slow.example", ""}).result == SpfResult::Temperror);
    CHECK(dns.queries == 2);                                       // the record, then one slow failure
}

TEST_CASE("RFC7208-7 review 9: a DNS name built from the sender's local part is printable in the explanation", "[auth]") {
    struct AllFail : FakeDns {
        DnsAnswer<std::string> records(const std::string& name, DnsType type) override {
            if (type == DnsType::Txt) return FakeDns::records(name, type);
            return {DnsStatus::TempFail, {}, "SERVFAIL", 0};
        }
    } dns;
    dns.txt("t.example", {"v=spf1 a:%{l}.x.example -all"});
    auto v = check(dns, "192.0.2.1", "a\x1b[2Jb\rc@t.example");
    CHECK(v.result == SpfResult::Temperror);
    CHECK(v.explanation.find('.') != std::string::npos);
    for (unsigned char c : v.explanation) CHECK((c >= 0x20 && c < 0x7F));
}
