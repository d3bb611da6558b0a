// The mail counters' latency histogram (issue #17 item 4).
#include "util/mail_metrics.h"

#include <catch.hpp>

using namespace sbbs::metrics;
using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST_CASE("ISSUE17-4g histogram buckets are cumulative and count every observation", "[util]") {
    LatencyHistogram h;
    h.observe(microseconds(500));     // <= 1 ms
    h.observe(milliseconds(1));       // exactly on a bound: counted in it (le)
    h.observe(milliseconds(40));      // <= 50 ms
    h.observe(std::chrono::seconds(100));   // past the last bound: +Inf only
    auto s = h.snapshot();
    CHECK(s.cumulative[0] == 2);
    CHECK(s.cumulative[5] == 3);      // le=0.05
    CHECK(s.cumulative[kBucketBounds.size() - 1] == 3);
    CHECK(s.cumulative.back() == 4);
    for (size_t i = 1; i < s.cumulative.size(); ++i) CHECK(s.cumulative[i] >= s.cumulative[i - 1]);
    CHECK(s.sum_s == Approx(100.0415));
}

TEST_CASE("ISSUE17-4h last errors keep the newest few", "[util]") {
    MailMetrics m;
    for (int i = 0; i < 8; ++i) m.note_error("error " + std::to_string(i));
    auto e = m.last_errors();
    REQUIRE(e.size() == MailMetrics::kErrorsKept);
    CHECK(e.front() == "error 3");
    CHECK(e.back() == "error 7");
}
