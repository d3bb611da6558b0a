// hack.log entries and automatic ip.can lines of failed logins and rate limits.
#include "spam/auto_filter.h"
#include "spam/block_list.h"
#include "log/system_time.h"
#include "spam_test_support.h"

#include <catch.hpp>

using namespace sbbs;
using sbbs::test::SpamInstall;

namespace {

FailureVerdict verdict(bool hack, bool filter, uint32_t failures = 5) {
    FailureVerdict v;
    v.attempt.ip = "192.0.2.7";
    v.attempt.protocol = "POP3";
    v.attempt.user = "guest";
    v.attempt.first = 1000;
    v.attempt.last = 1090;
    v.failures = failures;
    v.hack = hack;
    v.filter = filter;
    v.filter_duration_s = 3600;
    return v;
}

const spam::LoginClient kClient{"192.0.2.7", "host.example.org", "POP3", 41234, "guest", true};

} // namespace

TEST_CASE("SMTP-79 POP3-43 hack.log: the system date, the client's port, host name and IP", "[auto_filter]") {
    SpamInstall inst;
    const std::time_t now = 1'790'000'000;
    auto notes = spam::act_on_failed_login(inst.paths, verdict(true, false), kClient, now);
    CHECK(notes.empty());
    CHECK(inst.read("data/hack.log") == "SUSPECTED POP3 LOGIN HACK ATTEMPT for user 'guest' on " +
                                            system_time_text(now, 0).substr(0, 24) +
                                            "\r\nUsing port 41234 at host.example.org [192.0.2.7]\r\n"
                                            "Details: ********\r\n\r\n");
    CHECK_FALSE(inst.exists("text/ip.can"));
}

TEST_CASE("SMTP-77 POP3-43 CFG-134 the filter threshold appends the IP to ip.can once, with the original's comment", "[auto_filter]") {
    SpamInstall inst;
    const std::time_t now = 1'790'000'000;
    auto notes = spam::act_on_failed_login(inst.paths, verdict(false, true), kClient, now);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0] == "!BLOCKING IP ADDRESS: 192.0.2.7 in " + inst.paths.text + "ip.can");
    CHECK(inst.read("text/ip.can") == "192.0.2.7\tt=" + spam::list_time_text(now) +
                                          "\tp=POP3\tr=5 FAILED LOGIN ATTEMPTS in 1.5m\te=" +
                                          spam::list_time_text(now + 3600) + "\tu=guest\th=host.example.org\n");
    CHECK(spam::act_on_failed_login(inst.paths, verdict(false, true, 6), kClient, now + 1).empty());
    CHECK_FALSE(inst.exists("data/hack.log"));
}

TEST_CASE("SMTP-77 an ipfilter_exempt.cfg client is never filtered", "[auto_filter]") {
    SpamInstall inst;
    inst.write("ctrl/ipfilter_exempt.cfg", "*.example.org\n");
    CHECK(spam::act_on_failed_login(inst.paths, verdict(false, true), kClient, 1000).empty());
    CHECK_FALSE(inst.exists("text/ip.can"));
}

TEST_CASE("SMTP-54 the rate-limit auto-filter: IP or subnet, ip.can or ip-silent.can", "[auto_filter]") {
    SpamInstall inst;
    RateLimitSettings rl;
    CHECK_FALSE(spam::filter_rate_limited(inst.paths, rl, {"192.0.2.7", 9, 1}, "192.0.2.7", "", "SMTP", 1000));
    rl.filter_threshold = 2;
    CHECK_FALSE(spam::filter_rate_limited(inst.paths, rl, {"192.0.2.7", 1, 1}, "192.0.2.7", "", "SMTP", 1000));
    auto one = spam::filter_rate_limited(inst.paths, rl, {"192.0.2.7", 2, 1}, "192.0.2.7", "", "SMTP", 1000);
    CHECK(one == "!BLOCKING IP ADDRESS: 192.0.2.7 in ip.can");
    CHECK(inst.read("text/ip.can").find("192.0.2.7\tt=") == 0);
    CHECK(inst.read("text/ip.can").find("\tp=SMTP\tr=2 rate-limit violations\n") != std::string::npos);
    // A subnet key with one denied IP (fewer than RateLimitFilterSubnetThreshold 2): the IP alone.
    auto lone = spam::filter_rate_limited(inst.paths, rl, {"198.51.100.0/24", 3, 1}, "198.51.100.9", "", "POP3", 1000);
    CHECK(lone == "!BLOCKING IP ADDRESS: 198.51.100.9 in ip.can");
    rl.filter_silent = true;
    auto net = spam::filter_rate_limited(inst.paths, rl, {"203.0.113.0/24", 4, 2}, "203.0.113.9", "", "SMTP", 1000);
    CHECK(net == "!BLOCKING SUBNET (silently): 203.0.113.0/24");
    CHECK(inst.read("text/ip-silent.can").find("203.0.113.0/24\tt=") == 0);
    CHECK(inst.read("text/ip-silent.can").find("r=4 rate-limit violations from 2 IPs") != std::string::npos);
}
