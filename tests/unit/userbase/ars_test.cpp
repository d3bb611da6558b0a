// The LoginRequirements evaluator (CFG-70, USER-30).
#include "userbase/ars.h"

#include <catch.hpp>

using namespace sbbs;

namespace {

User user(uint32_t level) {
    User u;
    u.number = 6;
    u.level = level;
    u.flags1 = User::letter('A');
    u.flags2 = User::letter('B');
    u.exempt = User::letter('M');
    u.rest = User::letter('G');
    return u;
}

bool ars(const char* s, const User& u) {
    auto r = evaluate_ars(s, u);
    REQUIRE(r.ok());
    return *r;
}

} // namespace

TEST_CASE("USER-30 LoginRequirements: LEVEL, EQUAL, NOT, blank") {
    User u = user(50);
    CHECK(ars("", u));
    CHECK(ars("  ", u));
    CHECK(ars("LEVEL 50", u));
    CHECK(ars("level 10", u));
    CHECK_FALSE(ars("LEVEL 60", u));
    CHECK(ars("50", u));                 // LEVEL is the default keyword
    CHECK(ars("$L50", u));
    CHECK(ars("LEVEL = 50", u));
    CHECK_FALSE(ars("LEVEL EQUAL TO 10", u));
    CHECK_FALSE(ars("NOT LEVEL 50", u));
    CHECK(ars("!LEVEL 60", u));
}

TEST_CASE("USER-30 LoginRequirements: FLAG sets, EXEMPT, REST, USER") {
    User u = user(50);
    CHECK(ars("FLAG A", u));
    CHECK(ars("FLAGA", u));
    CHECK_FALSE(ars("FLAG B", u));
    CHECK(ars("FLAG 2B", u));
    CHECK(ars("FLAG2B", u));
    CHECK(ars("FLAG B|A", u));
    CHECK(ars("EXEMPT M", u));
    CHECK_FALSE(ars("EXEMPT W", u));
    CHECK(ars("REST G", u));
    CHECK(ars("NOT REST M", u));
    CHECK_FALSE(ars("NOT REST G", u));
    CHECK(ars("USER 6", u));
    CHECK_FALSE(ars("USER = 5", u));
}

TEST_CASE("USER-30 LoginRequirements: AND, OR, parentheses, left to right") {
    User u = user(50);
    CHECK(ars("LEVEL 50 AND FLAG A", u));
    CHECK(ars("LEVEL 50 FLAG A", u));
    CHECK_FALSE(ars("LEVEL 50 & FLAG B", u));
    CHECK(ars("LEVEL 90 OR FLAG A", u));
    CHECK(ars("LEVEL 90 | EXEMPT M", u));
    CHECK_FALSE(ars("LEVEL 90 OR FLAG B", u));
    CHECK(ars("(LEVEL 90 OR FLAG A) AND NOT REST M", u));
    CHECK_FALSE(ars("NOT (LEVEL 10 AND FLAG A)", u));
    // no precedence: a false term before AND ends the scan
    CHECK_FALSE(ars("LEVEL 90 AND FLAG A OR EXEMPT M", u));
    CHECK(ars("FLAG A OR LEVEL 90 AND FLAG B", u));
}

TEST_CASE("USER-30 LoginRequirements: unsupported keywords are reported, not guessed") {
    User u = user(50);
    auto r = evaluate_ars("AGE 18", u);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("AGE") != std::string::npos);
    CHECK_FALSE(evaluate_ars("$T0900", u).ok());
}
