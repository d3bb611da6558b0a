// DNSBL look-ups (zone order, answer range, TTL cache, exemptions, fail
// open), header tagging and the spam hash base, with a resolver double.
#include "spam/dnsbl.h"
#include "spam/dnsbl_lookup.h"
#include "spam/spam_hash.h"
#include "state/database.h"

#include "spam_test_support.h"


#include <chrono>
#include <map>

using namespace sbbs;
using namespace sbbs::spam;
using sbbs::test::SpamInstall;

namespace {

struct FakeResolver : Resolver {
    std::map<std::string, DnsAnswer<std::string>> answers;
    std::vector<std::string> asked;
    std::chrono::steady_clock::duration* elapsed = nullptr;   // a silent zone costs 9 s of it
    DnsAnswer<MxRecord> mx(const std::string&) override { return {}; }
    DnsAnswer<std::string> addresses(const std::string&) override { return {}; }
    DnsAnswer<std::string> ptr(const std::string&) override { return {}; }
    DnsAnswer<std::string> a(const std::string& name) override {
        asked.push_back(name);
        auto it = answers.find(name);
        if (it != answers.end() && it->second.status == DnsStatus::TempFail && elapsed)
            *elapsed += std::chrono::seconds(9);
        if (it != answers.end()) return it->second;
        DnsAnswer<std::string> nx;
        nx.status = DnsStatus::NxDomain;
        return nx;
    }
    void set(const std::string& name, const std::string& ip, uint32_t ttl = 60) {
        DnsAnswer<std::string> a;
        a.status = DnsStatus::Ok;
        a.records = {ip};
        a.ttl = ttl;
        answers[name] = a;
    }
    void silent(const std::string& name) {
        DnsAnswer<std::string> a;
        a.status = DnsStatus::TempFail;
        a.error = "no reply";
        answers[name] = a;
    }
};

struct Fixture {
    SpamInstall install;
    int64_t now = 1000;
    std::unique_ptr<Database> db;
    std::unique_ptr<DnsblCache> cache;
    FakeResolver* resolver = nullptr;
    std::unique_ptr<DnsblLookup> lookup;
    std::chrono::steady_clock::duration elapsed{};

    Fixture() {
        db = Database::open(install.path("data/state.db")).value();
        cache = std::make_unique<DnsblCache>(*db, [this] { return now; });
        auto r = std::make_unique<FakeResolver>();
        resolver = r.get();
        resolver->elapsed = &elapsed;
        lookup = std::make_unique<DnsblLookup>(install.paths.ctrl, 0, std::move(r), cache.get(), nullptr,
                                               std::chrono::seconds(10),
                                               [this] { return std::chrono::steady_clock::time_point(elapsed); });
    }
};

} // namespace

TEST_CASE("SMTP-237 SMTP-238 CFG-140 zones in file order; the first 127.0.0.x answer lists", "[spam][dnsbl]") {
    Fixture f;
    f.install.write("ctrl/dns_blacklist.cfg", "; comment\n\nfirst.test   (see first)\nsecond.test\n");
    f.resolver->set("2.0.0.127.second.test", "127.0.0.4");
    DnsblOutcome o = f.lookup->lookup("127.0.0.2", "host.example");
    REQUIRE(o.hit);
    CHECK(o.hit->dnsbl == "second.test");
    CHECK(o.hit->result == "127.0.0.4");
    CHECK(f.resolver->asked == std::vector<std::string>{"2.0.0.127.first.test", "2.0.0.127.second.test"});
    f.resolver->set("2.0.0.127.first.test", "127.0.0.9");
    f.resolver->asked.clear();
    f.now += 301;                        // the negative answer of first.test has expired
    o = f.lookup->lookup("127.0.0.2", "host.example");
    REQUIRE(o.hit);
    CHECK(o.hit->dnsbl == "first.test   (see first)");
    CHECK(o.hit->result == "127.0.0.9");
}

TEST_CASE("SMTP-259 an answer outside 127.0.0.0/24 is logged and ignored", "[spam][dnsbl]") {
    Fixture f;
    f.install.write("ctrl/dns_blacklist.cfg", "bl.test\n");
    f.resolver->set("2.0.0.127.bl.test", "10.0.0.1");
    DnsblOutcome o = f.lookup->lookup("127.0.0.2", "h");
    CHECK_FALSE(o.hit);
    REQUIRE(o.problems.size() == 1);
    CHECK(o.problems[0].find("outside 127.0.0.0/24") != std::string::npos);
}

TEST_CASE("SMTP-237 answers are cached in the state database for their TTL", "[spam][dnsbl]") {
    Fixture f;
    f.install.write("ctrl/dns_blacklist.cfg", "bl.test\n");
    f.resolver->set("2.0.0.127.bl.test", "127.0.0.2", 120);
    REQUIRE(f.lookup->lookup("127.0.0.2", "h").hit);
    REQUIRE(f.lookup->lookup("127.0.0.2", "h").hit);
    CHECK(f.resolver->asked.size() == 1);
    f.now += 121;
    REQUIRE(f.lookup->lookup("127.0.0.2", "h").hit);
    CHECK(f.resolver->asked.size() == 2);
}

TEST_CASE("SMTP-237 a zone that does not answer is skipped and reported (fail open), not cached", "[spam][dnsbl]") {
    Fixture f;
    f.install.write("ctrl/dns_blacklist.cfg", "slow.test\nbl.test\n");
    f.resolver->silent("2.0.0.127.slow.test");
    DnsblOutcome o = f.lookup->lookup("127.0.0.2", "h");
    CHECK_FALSE(o.hit);
    REQUIRE(o.problems.size() == 1);
    CHECK(o.problems[0].find("DNSBL look-up of 2.0.0.127.slow.test failed") == 0);
    (void)f.lookup->lookup("127.0.0.2", "h");
    CHECK(f.resolver->asked.size() == 2);   // slow.test is down for a minute, bl.test's NXDOMAIN cached
    f.elapsed += std::chrono::seconds(61);
    (void)f.lookup->lookup("127.0.0.2", "h");
    CHECK(f.resolver->asked.size() == 3);   // then asked again
}

TEST_CASE("REVIEW-2 SMTP-237 one time budget per check across zones and relays; a silent zone rests a minute",
          "[spam][dnsbl]") {
    Fixture f;
    f.install.write("ctrl/dns_blacklist.cfg", "a.test\nb.test\nc.test\nd.test\n");
    for (std::string z : {"a", "b", "c", "d"}) f.resolver->silent("2.0.0.127." + z + ".test");
    DnsblOutcome o = f.lookup->lookup("127.0.0.2", "h");
    CHECK_FALSE(o.hit);
    CHECK(f.resolver->asked.size() == 2);               // 9 s + 9 s: the 10 s budget is spent
    CHECK(f.elapsed <= std::chrono::seconds(18));
    (void)f.lookup->lookup("127.0.0.2", "h");           // a and b rest, c is asked, d past the budget
    CHECK(f.resolver->asked.size() == 4);
    // A message's Received: relays share one budget.
    f.elapsed += std::chrono::seconds(61);
    f.resolver->asked.clear();
    for (std::string n : {"3", "4", "5", "6"})
        for (std::string z : {"a", "b", "c", "d"}) f.resolver->silent(n + ".0.0.127." + z + ".test");
    const auto deadline = f.lookup->deadline();
    for (std::string n : {"3", "4", "5", "6"}) (void)f.lookup->lookup("127.0.0." + n, "h", deadline);
    CHECK(f.resolver->asked.size() == 2);
}

TEST_CASE("CFG-141 SMTP-240 exemptions by IP, host name and <sender>", "[spam][dnsbl]") {
    Fixture f;
    f.install.write("ctrl/dns_blacklist.cfg", "bl.test\n");
    f.install.write("ctrl/dnsbl_exempt.cfg", "127.0.0.2\n*.friendly.example\n<friend@example.org>\n");
    f.resolver->set("2.0.0.127.bl.test", "127.0.0.2");
    f.resolver->set("3.0.0.127.bl.test", "127.0.0.2");
    CHECK_FALSE(f.lookup->lookup("127.0.0.2", "h").hit);
    CHECK_FALSE(f.lookup->lookup("127.0.0.3", "mx.friendly.example").hit);
    CHECK(f.lookup->lookup("127.0.0.3", "other.example").hit);
    CHECK(f.lookup->sender_exempt("<friend@example.org>"));
    CHECK(f.lookup->sender_exempt("FRIEND@example.org"));
    CHECK_FALSE(f.lookup->sender_exempt("<>"));
    CHECK_FALSE(f.lookup->sender_exempt("<foe@example.org>"));
}

TEST_CASE("SMTP-237 IPv4 octets and IPv6 nibbles are reversed", "[spam][dnsbl]") {
    CHECK(dnsbl_query_prefix("1.2.3.4") == "4.3.2.1");
    CHECK(dnsbl_query_prefix("::1").starts_with("1.0.0.0."));
    CHECK(dnsbl_query_prefix("::1").size() == 63);
    CHECK(dnsbl_query_prefix("nonsense").empty());
}

TEST_CASE("SMTP-186 SMTP-246 the subject gets the tag and the header line is added", "[spam][dnsbl]") {
    DnsblListing l{true, "127.0.0.2", "bl.test", "127.0.0.3", false};
    std::string h = "From: a@b.example\r\nSubject:   hello\r\nTo: c@d.example\r\n";
    CHECK(tagged_header(h, "SPAM", "X-DNSBL", l) ==
          "From: a@b.example\r\nSubject:   SPAM: hello\r\nTo: c@d.example\r\n"
          "X-DNSBL: 127.0.0.2 is listed on bl.test as 127.0.0.3\r\n");
    CHECK(tagged_header(h, "", "", l) == h);
    CHECK(tagged_header("Subject: a\r\nSubject: b\r\n", "T", "", l) == "Subject: T: a\r\nSubject: b\r\n");
}

TEST_CASE("FMT-104 SMTP-192 spam.hash: a body is found once added, white space and Ctrl-A aside", "[spam][dnsbl]") {
    SpamInstall install;
    SpamHashBase base(install.path("data/spam.hash"));
    CHECK_FALSE(base.find("Buy now\r\n"));
    REQUIRE(base.add("Buy now\r\n", 1700000000));
    REQUIRE(base.add("Buy now\r\n", 1700000001));          // already there: not added twice
    CHECK(install.read("data/spam.hash").size() == 64);
    auto when = base.find("Buy  now\r\n");
    REQUIRE(when);
    CHECK(*when == 1700000000);
    CHECK_FALSE(base.find("Something else\r\n"));
}

TEST_CASE("SMTP-193 SMTP-192 ours: an authenticated sender's message is not dropped by the spam hash base", "[spam][dnsbl]") {
    Fixture f;
    SpamHashBase hashes(f.install.path("data/spam.hash"));
    REQUIRE(hashes.add("Buy now\r\n", 1700000000));
    DnsblSettings settings;
    settings.logs = f.install.paths.logs;
    Dnsbl rules(settings, std::move(f.lookup), hashes);
    SessionInfo s;
    s.ip = "127.0.0.7";
    s.reverse_path = "<alice@example.org>";
    s.last_rcpt = "sysop@testbbs.example";
    DnsblListing none;
    CHECK(rules.on_store(s, none, "From: alice@example.org\r\n", "Buy now\r\n").kind == Decision::Kind::Discard);
    s.authenticated = true;
    s.user = 1;
    CHECK_FALSE(rules.on_store(s, none, "From: alice@example.org\r\n", "Buy now\r\n").decided());
}

TEST_CASE("SMTP-183 SMTP-240 an exempt From: address clears the listing before tagging", "[spam][dnsbl]") {
    Fixture f;
    f.install.write("ctrl/dnsbl_exempt.cfg", "<friend@example.org>\n");
    DnsblSettings settings;
    settings.logs = f.install.paths.logs;
    settings.header = "X-DNSBL";
    settings.subject = "SPAM";
    Dnsbl rules(settings, std::move(f.lookup), SpamHashBase(f.install.path("data/spam.hash")));
    SessionInfo s;
    s.ip = "127.0.0.2";
    DnsblListing l{true, "127.0.0.2", "bl.test", "127.0.0.2", false};
    std::string header = "From: Friend <friend@example.org>\r\nSubject: hi\r\n";
    MessageMarks marks{header, false};
    Decision d = rules.on_header(s, l, header, "hi\r\n", marks);
    CHECK_FALSE(l.listed);
    CHECK_FALSE(marks.spam);
    CHECK(marks.header == header);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].text == "Ignoring DNSBL results for exempt sender (from): friend@example.org");
}

TEST_CASE("SMTP-241 CFG-141 a recipient SendMail auto-exempted is an exempt sender", "[spam][dnsbl]") {
    Fixture f;
    f.install.write("ctrl/dnsbl_exempt.cfg",
                    ";SEND Auto-exempting from sysop@testbbs.example on Mon Dec 07 2026 04:00 pm\n<pen.pal@remote.example>\n");
    CHECK(f.lookup->sender_exempt("<pen.pal@remote.example>"));
}

TEST_CASE("SMTP-192 a spam bait's body goes to spam.hash", "[spam][dnsbl]") {
    Fixture f;
    Dnsbl rules(DnsblSettings{}, std::move(f.lookup), SpamHashBase(f.install.path("data/spam.hash")));
    SessionInfo s;
    s.ip = "127.0.0.7";
    s.spam_bait = true;
    DnsblListing none;
    MessageMarks marks{"Subject: x\r\n", false};
    (void)rules.on_header(s, none, marks.header, "Bait me\r\n", marks);
    CHECK(SpamHashBase(f.install.path("data/spam.hash")).find("Bait me\r\n"));
}
