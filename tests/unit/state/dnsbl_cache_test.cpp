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
