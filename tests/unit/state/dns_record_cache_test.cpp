// The DNS answer cache of mail authentication: answers until their TTL,
// records of any bytes kept apart, and bounded.
#include "dns/resolver.h"
#include "state/dns_record_cache.h"
#include "temp_db.h"

#include <catch.hpp>

using namespace sbbs;
using sbbs::test::TempDb;

TEST_CASE("RFC7208-4.6.4 the SPF look-up cache answers until the TTL runs out, per name and type", "[state]") {
    TempDb t;
    DnsRecordCache cache(*t.db, t.clock());
    const std::vector<std::string> txt = {"v=spf1 ip4:192.0.2.0/24 -all", std::string("odd\0:7:bytes\n", 13), ""};
    REQUIRE(cache.put("example.org", 16, 0, txt, 300).ok());
    REQUIRE(cache.put("example.org", 1, 2, {}, 60).ok());
    auto hit = cache.get("example.org", 16);
    REQUIRE(hit.ok());
    REQUIRE(hit->has_value());
    CHECK((*hit)->records == txt);
    CHECK((*hit)->status == 0);
    CHECK((*hit)->expires == t.now + 300);
    CHECK((*cache.get("example.org", 1))->status == 2);
    CHECK_FALSE(cache.get("example.org", 15)->has_value());
    t.now += 60;
    CHECK_FALSE(cache.get("example.org", 1)->has_value());
    CHECK(*cache.prune() == 1);
    t.now += 240;
    CHECK_FALSE(cache.get("example.org", 16)->has_value());
}

TEST_CASE("RFC7208-4.6.4 the SPF look-up cache caps its rows as it writes", "[state]") {
    TempDb t;
    DnsRecordCache cache(*t.db, t.clock(), 100);
    for (int i = 0; i < 1000; ++i) REQUIRE(cache.put("h" + std::to_string(i) + ".example", 1, 0, {"192.0.2.1"}, 300).ok());
    CHECK(*cache.size() <= 100 + 64);
}

TEST_CASE("split_records refuses a damaged text instead of guessing", "[state]") {
    CHECK(split_records("3:abc1:d")->size() == 2);
    CHECK_FALSE(split_records("9:abc").has_value());
    CHECK_FALSE(split_records("x:abc").has_value());
    CHECK(split_records("")->empty());
}

// Moved from the DKIM branch's own TXT cache when the two became one table.
TEST_CASE("RFC6376-2 TXT answers (records, NXDOMAIN, no data) are remembered for their TTL, then forgotten",
          "[state]") {
    TempDb t;
    DnsRecordCache cache(*t.db, t.clock());
    const int txt = int(DnsType::Txt);
    const std::vector<std::string> key = {"v=DKIM1; p=AB:CD", ""};
    REQUIRE(cache.put("s1._domainkey.example.com", txt, int(DnsStatus::Ok), key, 300).ok());
    REQUIRE(cache.put("_dmarc.none.example", txt, int(DnsStatus::NxDomain), {}, 60).ok());
    REQUIRE(cache.put("_dmarc.empty.example", txt, int(DnsStatus::NoData), {}, 60).ok());
    auto hit = cache.get("s1._domainkey.example.com", txt);
    REQUIRE(hit.ok());
    REQUIRE(hit->has_value());
    CHECK((*hit)->records == key);
    CHECK((*hit)->expires == t.now + 300);
    CHECK(DnsStatus((*cache.get("_dmarc.none.example", txt))->status) == DnsStatus::NxDomain);
    CHECK(DnsStatus((*cache.get("_dmarc.empty.example", txt))->status) == DnsStatus::NoData);
    CHECK_FALSE(cache.get("other.example", txt)->has_value());
    t.now += 60;
    CHECK_FALSE(cache.get("_dmarc.none.example", txt)->has_value());
    CHECK(cache.get("s1._domainkey.example.com", txt)->has_value());
}

TEST_CASE("RFC6376-2 the cache keeps the latest-expiring answers when it caps its rows", "[state]") {
    TempDb t;
    DnsRecordCache cache(*t.db, t.clock(), 10);
    for (int i = 0; i < 64; ++i) REQUIRE(cache.put("n" + std::to_string(i), 16, 0, {}, 1000 + i).ok());
    CHECK(*cache.size() <= 10);
    CHECK(cache.get("n63", 16)->has_value());       // the latest to expire were kept
}
