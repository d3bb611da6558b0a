#include "state/request_rate.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("SMTP-53 POP3-58: the rate-limit key is the IP or its subnet", "[request_rate]") {
    struct Case {
        uint32_t prefix4, prefix6;
        const char *ip, *key;
    };
    for (const Case& c : {Case{0, 64, "192.0.2.77", "192.0.2.77"}, Case{24, 64, "192.0.2.77", "192.0.2.0/24"},
                          Case{32, 64, "192.0.2.77", "192.0.2.77"}, Case{0, 64, "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
                          Case{0, 0, "2001:db8::1", "2001:db8::1"}, Case{0, 16, "2001:db8::1", "2001::/16"}}) {
        RateLimitSettings rl;
        rl.subnet_prefix4 = c.prefix4;
        rl.subnet_prefix6 = c.prefix6;
        CHECK(rate_limit_key(c.ip, rl) == c.key);
    }
}

TEST_CASE("SMTP-52: more than MaxRequestsPerPeriod requests in the period are denied", "[request_rate]") {
    RequestRateLimiter limiter;
    RateLimitSettings rl;
    for (int i = 0; i < 3; ++i) CHECK_FALSE(limiter.request("192.0.2.1", rl, 3, 60, 1000));
    auto d = limiter.request("192.0.2.1", rl, 3, 60, 1001);
    REQUIRE(d);
    CHECK(d->key == "192.0.2.1");
    CHECK(d->denials == 1);
    CHECK(limiter.request("192.0.2.1", rl, 3, 60, 1002)->denials == 2);
    CHECK_FALSE(limiter.request("192.0.2.2", rl, 3, 60, 1002));      // another IP has its own count
    CHECK_FALSE(limiter.request("192.0.2.1", rl, 3, 60, 1060));      // the window moved on
}

TEST_CASE("SMTP-52: a zero maximum or period never limits", "[request_rate]") {
    RequestRateLimiter limiter;
    RateLimitSettings rl;
    for (int i = 0; i < 50; ++i) {
        CHECK_FALSE(limiter.request("192.0.2.1", rl, 0, 60, 1000));
        CHECK_FALSE(limiter.request("192.0.2.1", rl, 1, 0, 1000));
    }
}

TEST_CASE("SMTP-54: a subnet key counts the distinct IPs denied in it; idle keys start over", "[request_rate]") {
    RequestRateLimiter limiter;
    RateLimitSettings rl;
    rl.subnet_prefix4 = 24;
    CHECK_FALSE(limiter.request("192.0.2.1", rl, 1, 60, 1000));
    auto a = limiter.request("192.0.2.1", rl, 1, 60, 1000);
    auto b = limiter.request("192.0.2.2", rl, 1, 60, 1000);
    REQUIRE((a && b));
    CHECK(b->key == "192.0.2.0/24");
    CHECK(a->distinct_ips == 1);
    CHECK(b->distinct_ips == 2);
    CHECK(b->denials == 2);
    CHECK_FALSE(limiter.request("198.51.100.1", rl, 1, 60, 2000));   // sweeps the idle subnet
    CHECK(limiter.keys() == 1);
    CHECK_FALSE(limiter.request("192.0.2.1", rl, 1, 60, 2000));
    CHECK(limiter.request("192.0.2.1", rl, 1, 60, 2000)->denials == 1);
}

TEST_CASE("REVIEW-3 SMTP-52: 100k distinct keys keep the limiter bounded, oldest keys evicted first",
          "[request_rate]") {
    RequestRateLimiter limiter;
    RateLimitSettings rl;
    for (uint32_t i = 0; i < 100000; ++i) {
        const std::string ip = "10." + std::to_string(i >> 16) + "." + std::to_string(i >> 8 & 255) + "." +
                               std::to_string(i & 255);
        (void)limiter.request(ip, rl, 1, 60, 1000 + i / 10000);   // all in one window
    }
    CHECK(limiter.keys() <= RequestRateLimiter::kMaxKeys);
    CHECK(limiter.request("10.1.134.159", rl, 1, 60, 1010));   // the newest key (99999) is still known
}
