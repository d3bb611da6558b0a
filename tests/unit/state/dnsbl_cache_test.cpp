#include "state/dnsbl_cache.h"
#include "temp_db.h"

#include <catch.hpp>

using namespace sbbs;
using sbbs::test::TempDb;

TEST_CASE("DNSBL cache answers until the TTL runs out, then forgets", "[state]") {
    TempDb t;
    DnsblCache cache(*t.db, t.clock());
    REQUIRE(cache.put("192.0.2.7", "zen.spamhaus.org", true, "127.0.0.2", 300).ok());
    REQUIRE(cache.put("192.0.2.8", "zen.spamhaus.org", false, "", 60).ok());
    auto hit = cache.get("192.0.2.7", "zen.spamhaus.org");
    REQUIRE(hit.ok());
    REQUIRE(hit->has_value());
    CHECK((*hit)->listed);
    CHECK((*hit)->result == "127.0.0.2");
    CHECK((*hit)->expires == t.now + 300);
    auto negative = cache.get("192.0.2.8", "zen.spamhaus.org");
    REQUIRE(negative->has_value());
    CHECK_FALSE((*negative)->listed);
    CHECK_FALSE(cache.get("192.0.2.7", "other.zone")->has_value());
    t.now += 60;
    CHECK_FALSE(cache.get("192.0.2.8", "zen.spamhaus.org")->has_value());
    auto pruned = cache.prune();
    REQUIRE(pruned.ok());
    CHECK(*pruned == 1);
    REQUIRE(cache.put("192.0.2.7", "zen.spamhaus.org", false, "", 10).ok());  // replaces
    CHECK_FALSE((*cache.get("192.0.2.7", "zen.spamhaus.org"))->listed);
    REQUIRE(cache.clear().ok());
    CHECK_FALSE(cache.get("192.0.2.7", "zen.spamhaus.org")->has_value());
}

TEST_CASE("REVIEW-1 SMTP-237 the DNSBL cache prunes expired answers as it writes and caps its rows", "[state]") {
    TempDb t;
    DnsblCache cache(*t.db, t.clock(), 100);
    for (int i = 0; i < 50; ++i) REQUIRE(cache.put("192.0.2." + std::to_string(i), "z", false, "", 10).ok());
    CHECK(*cache.size() == 50);
    t.now += 61;                          // all expired, and a minute since the last prune
    REQUIRE(cache.put("198.51.100.1", "z", false, "", 300).ok());
    CHECK(*cache.size() == 1);
    for (int i = 0; i < 1000; ++i) REQUIRE(cache.put("203.0.113." + std::to_string(i), "z", false, "", 300).ok());
    CHECK(*cache.size() <= 100 + 64);    // capped at each prune, every 64 writes
}
