#include "config/cached_pattern_list.h"
#include "config/pattern_list.h"
#include "temp_install.h"

#include <catch.hpp>

using namespace sbbs;

namespace {
PatternList list_of(const std::string& text, Diagnostics* d = nullptr) {
    return PatternList::parse(text, "test.can", d);
}
} // namespace

TEST_CASE("CFG-123 blank lines and leading white space are skipped; over-long lines split with a diagnostic", "[config]") {
    auto l = list_of("\n   \n\t  foo\n");
    REQUIRE(l.entries().size() == 1);
    CHECK(l.entries()[0].pattern == "foo");
    CHECK(l.entries()[0].line == 3);

    Diagnostics d;
    auto big = list_of(std::string(1000, 'a') + std::string(5, 'b') + "\nzzz\n", &d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].line == 1);
    CHECK(d[0].file == "test.can");
    REQUIRE(big.entries().size() == 3);
    CHECK(big.contains("bbbbb"));
    CHECK(big.entries()[2].line == 2);
    Diagnostics none;
    list_of(std::string(1000, 'a') + "\n", &none);
    CHECK(none.empty());
}

TEST_CASE("CFG-124 backslash escapes are decoded before matching", "[config]") {
    auto l = list_of("a\\\\b\nc\\x41d\nx\\ty=1\n");
    CHECK(l.contains("a\\b"));
    CHECK_FALSE(l.contains("a\\\\b"));
    CHECK(l.contains("cad"));
    // A decoded \t starts the metadata.
    REQUIRE(l.entries().size() == 3);
    CHECK(l.entries()[2].pattern == "x");
    CHECK(l.entries()[2].meta.at("y") == "1");
}

TEST_CASE("CFG-125 TAB separates metadata; trailing blanks of the pattern are ignored", "[config]") {
    auto l = list_of("host.example   \tr=reason here\tp=SMTP\n");
    REQUIRE(l.entries().size() == 1);
    CHECK(l.entries()[0].pattern == "host.example");
    CHECK(l.contains("HOST.example"));
    CHECK(l.entries()[0].meta.at("r") == "reason here");
    CHECK(l.entries()[0].meta.at("p") == "SMTP");
}

TEST_CASE("CFG-126 comment lines never match", "[config]") {
    auto l = list_of("; foo\n  ;bar\n");
    CHECK(l.entries().empty());
    CHECK_FALSE(l.contains("; foo"));
    CHECK_FALSE(l.contains("bar"));
}

TEST_CASE("CFG-127 forms: ~ substring, ^ prefix, * prefix+suffix, else exact; case ignored", "[config]") {
    CHECK(pattern_matches("badword~", "a BADWORD here"));
    CHECK_FALSE(pattern_matches("badword~", "badwor"));
    CHECK(pattern_matches("[SPAM]^", "[spam] buy now"));
    CHECK_FALSE(pattern_matches("[SPAM]^", "re: [SPAM]"));
    CHECK(pattern_matches("*@spammy.example", "joe@SPAMMY.example"));
    CHECK(pattern_matches("news*", "newsletter"));
    CHECK(pattern_matches("a*b", "ab"));
    CHECK_FALSE(pattern_matches("ab*ba", "aba"));  // string shorter than both parts
    CHECK(pattern_matches("a*b*c", "a-b*c"));      // further '*' literal
    CHECK_FALSE(pattern_matches("a*b*c", "a-bxc"));
    CHECK(pattern_matches("Make Money Fast", "make money fast"));
    CHECK_FALSE(pattern_matches("make money fast", "make money faster"));
    CHECK_FALSE(pattern_matches("a?c", "abc"));    // no '?' wildcard
    CHECK(pattern_matches("a?c", "A?C"));
}

TEST_CASE("CFG-128 IPv4 and IPv6 CIDR patterns; bare addresses compare as text", "[config]") {
    auto l = list_of("10.99.0.0/16\n2001:db8::/32\n192.0.2.*\n");
    CHECK(l.contains("10.99.200.1"));
    CHECK_FALSE(l.contains("10.98.0.1"));
    CHECK(l.contains("2001:DB8:1::5"));
    CHECK_FALSE(l.contains("2001:db9::1"));
    CHECK(l.contains("192.0.2.77"));
    auto all = list_of("0.0.0.0/0\n");
    CHECK(all.contains("203.0.113.1"));
    CHECK_FALSE(all.contains("not-an-ip"));
    auto odd = list_of("1.2.3.0/25\n");
    CHECK(odd.contains("1.2.3.127"));
    CHECK_FALSE(odd.contains("1.2.3.128"));
    auto v6 = list_of("fe80::/10\n");
    CHECK(v6.contains("febf::1"));
    CHECK_FALSE(v6.contains("fec0::1"));
}

TEST_CASE("CFG-129 '!' exempts before broader patterns; two strings; last-line quirk", "[config]") {
    auto l = list_of("!trusted@spammy.example\n*@spammy.example\n");
    CHECK_FALSE(l.contains("trusted@spammy.example"));
    CHECK(l.contains("other@spammy.example"));

    // Two strings: positive lines match either; a '!' line needs both.
    auto ip = list_of("!10.0.0.1\n10.0.0.0/8\n*.bad.example\n");
    CHECK(ip.contains("10.0.0.2", "host.good.example"));
    CHECK(ip.contains("192.0.2.1", "x.bad.example"));
    CHECK(ip.contains("10.0.0.1", "x.bad.example"));      // '!' matched only one of them
    auto both = list_of("!*.good.example\n*.example\n");
    CHECK_FALSE(both.contains("a.good.example", "b.good.example"));
    CHECK(both.contains("a.good.example", "b.other.example"));

    // End of file after a non-matching '!' line: listed (original quirk).
    Diagnostics d;
    auto quirk = list_of("foo\n!bar\n", &d);
    CHECK(quirk.contains("anything"));
    CHECK_FALSE(quirk.contains("bar"));
    REQUIRE(d.size() == 1);
    CHECK(d[0].line == 2);
    auto commented = list_of("foo\n!bar\n; the end\n");
    CHECK_FALSE(commented.contains("anything"));
}

TEST_CASE("CFG-130 metadata items and times (CCYYMMDDThhmmss local, or seconds)", "[config]") {
    auto l = list_of("a\tt=20240101T000000-0700\tq=true\tu=<x@y>\th=host\n"
                     "b\te=1700000000\tQ=no\n");
    REQUIRE(l.entries().size() == 2);
    const ListEntry& a = l.entries()[0];
    CHECK(a.quiet());
    CHECK(a.meta.at("u") == "<x@y>");
    CHECK(a.meta.at("h") == "host");
    std::tm tm{};
    tm.tm_year = 124; tm.tm_mon = 0; tm.tm_mday = 1; tm.tm_isdst = -1;
    const ListEntry& b = l.entries()[1];
    CHECK(b.expires() == 1700000000);
    CHECK_FALSE(b.quiet());
    auto c = list_of("c\te=20240101T000000Z\n");
    CHECK(c.entries()[0].expires() == std::mktime(&tm));
}

TEST_CASE("CFG-131 an expired entry does not match and does not fall through (every list)", "[config]") {
    auto l = list_of("x@y\te=1000\nx@*\n");
    CHECK_FALSE(l.contains("x@y", {}, 2000));
    CHECK(l.contains("x@y", {}, 999));
    CHECK(l.contains("x@z", {}, 2000));
    CHECK_FALSE(l.contains("x@y", {}, 1000));   // at the expiry time: expired
    CHECK_FALSE(l.contains("x@y"));             // now = the current time
}

TEST_CASE("CFG-132 a missing list is empty and silent; the sample lists load", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto none = PatternList::load(inst.path("text/nope.can"), &d);
    CHECK(none.entries().empty());
    CHECK(d.empty());
    auto ip = PatternList::load(inst.path("text/ip.can"), &d);
    CHECK(d.empty());
    CHECK(ip.contains("127.0.0.66"));
    CHECK(ip.contains("127.0.1.200"));
    CHECK(ip.contains("2001:db8::1"));
    CHECK_FALSE(ip.contains("127.0.0.67"));       // expired in 2020
    const ListEntry* q = ip.find("127.0.0.68");
    REQUIRE(q != nullptr);
    CHECK(q->quiet());
    auto email = PatternList::load(inst.path("text/email.can"), &d);
    CHECK_FALSE(email.contains("trusted@spammy.example"));
    CHECK(email.contains("x@spammy.example"));
    CHECK_FALSE(email.contains("expired@remote.example"));
}

TEST_CASE("CFG-133 cached lists re-read on a newer modification time, at most every interval", "[config]") {
    test::TempInstall inst(false);
    inst.write("ip.can", "10.0.0.1\n");
    CachedPatternList cached(inst.path("ip.can"), 5);
    CHECK(cached.contains("10.0.0.1", {}, 1000));
    CHECK(cached.reads() == 1);
    inst.write("ip.can", "10.0.0.2\n");
    auto later = std::filesystem::last_write_time(inst.path("ip.can")) + std::chrono::seconds(10);
    std::filesystem::last_write_time(inst.path("ip.can"), later);
    CHECK(cached.contains("10.0.0.1", {}, 1003));  // within the interval: not checked
    CHECK(cached.reads() == 1);
    CHECK(cached.contains("10.0.0.2", {}, 1005));  // interval passed, newer file: re-read
    CHECK_FALSE(cached.contains("10.0.0.1", {}, 1005));
    CHECK(cached.reads() == 2);
    CHECK(cached.contains("10.0.0.2", {}, 1011));  // unchanged: not re-read
    CHECK(cached.reads() == 2);

    CachedPatternList uncached(inst.path("ip.can"), 0);
    CHECK(uncached.contains("10.0.0.2", {}, 1000));
    CHECK(uncached.contains("10.0.0.2", {}, 1000));
    CHECK(uncached.reads() == 2);  // 0 = read at every lookup
    inst.remove("ip.can");
    CHECK_FALSE(uncached.contains("10.0.0.2", {}, 1000));
    CHECK(cached.contains("10.0.0.2", {}, 2000));  // the cache keeps a deleted file's contents
}
