#include "log/duration_text.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("SMTP-77 failed-login durations read like the original's", "[log]") {
    CHECK(duration_words(0) == "0 seconds");
    CHECK(duration_words(1) == "1 second");
    CHECK(duration_words(45) == "45 seconds");
    CHECK(duration_words(60) == "1 minute");
    CHECK(duration_words(90) == "1.5 minutes");
    CHECK(duration_words(119) == "2 minutes");
    CHECK(duration_words(600) == "10 minutes");
    CHECK(duration_words(3600) == "1 hour");
    CHECK(duration_words(86400 * 8) == "8 days");
    CHECK(duration_words(365LL * 86400 * 2) == "2 years");
    CHECK(duration_letters(45) == "45s");
    CHECK(duration_letters(90) == "1.5m");
    CHECK(duration_letters(7200) == "2h");
    CHECK(duration_letters(86400) == "1d");
}
