// Skipping a test whose tool or helper is missing. CI installs every tool, so
// under CI=true a skip is a failure; elsewhere the test says why and
// tests/run.py counts it as skipped, not passed (a WARN starting "skipped:").
#pragma once

#include <catch.hpp>

#include <cstdlib>
#include <cstring>

namespace sbbs::test {

inline bool under_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::strcmp(ci, "true") == 0;
}

} // namespace sbbs::test

#define SBBS_SKIP(why)                                                       \
    do {                                                                     \
        if (::sbbs::test::under_ci()) FAIL("required under CI=true: " << why); \
        WARN("skipped: " << why);                                            \
        return;                                                              \
    } while (0)
