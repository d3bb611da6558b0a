#include "state/txt_cache.h"
#include "temp_db.h"

#include <catch.hpp>

using namespace sbbs;
using sbbs::test::TempDb;

TEST_CASE("RFC6376-2 TXT answers (records, NXDOMAIN, no data) are remembered for their TTL, then forgotten",
          "[state]") {
    TempDb t;
    TxtCache cache(*t.db, t.clock());
    TxtCacheEntry key{TxtCacheEntry::Kind::Records, {"v=DKIM1; p=AB:CD", ""}, 0};
    REQUIRE(cache.put("s1._domainkey.example.com", key, 300).ok());
    REQUIRE(cache.put("_dmarc.none.example", TxtCacheEntry{TxtCacheEntry::Kind::NxDomain, {}, 0}, 60).ok());
    auto hit = cache.get("s1._domainkey.example.com");
    REQUIRE(hit.ok());
    REQUIRE(hit->has_value());
    CHECK((*hit)->records == key.records);
    CHECK((*hit)->expires == t.now + 300);
    CHECK((*cache.get("_dmarc.none.example"))->kind == TxtCacheEntry::Kind::NxDomain);
    CHECK_FALSE(cache.get("other.example")->has_value());
    t.now += 60;
    CHECK_FALSE(cache.get("_dmarc.none.example")->has_value());
    CHECK(cache.get("s1._domainkey.example.com")->has_value());
}

TEST_CASE("RFC6376-2 the TXT cache prunes expired answers and caps its rows", "[state]") {
    TempDb t;
    TxtCache cache(*t.db, t.clock(), 10);
    for (int i = 0; i < 64; ++i) REQUIRE(cache.put("n" + std::to_string(i), TxtCacheEntry{}, 1000 + i).ok());
    CHECK(*cache.size() == 10);                 // the 64th write pruned down to the cap
    CHECK(cache.get("n63")->has_value());       // the latest to expire were kept
}

TEST_CASE("RFC6376-2 the records column round-trips any bytes and refuses a damaged one", "[state]") {
    std::vector<std::string> r{"a:b", "", std::string("x\0y", 3)};
    CHECK(decode_txt_records(encode_txt_records(r)) == r);
    CHECK_FALSE(decode_txt_records("5:abc").has_value());
    CHECK_FALSE(decode_txt_records("x:abc").has_value());
}
