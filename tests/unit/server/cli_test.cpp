// Command-line parsing.
#include "server/cli.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("cli: --ctrl and SBBSCTRL are both recorded for the loader") {
    auto given = parse_cli({"--ctrl", "/x/ctrl"}, "/env/ctrl");
    REQUIRE(given.ok());
    CHECK(given->ctrl_dir == "/x/ctrl");
    CHECK(given->env_ctrl == "/env/ctrl");
    CHECK(given->mode == CliMode::Run);
    auto none = parse_cli({}, nullptr);
    REQUIRE(none.ok());
    CHECK(none->ctrl_dir.empty());
    CHECK(none->env_ctrl.empty());
    CHECK(parse_cli({"--ctrl=/y"}, nullptr)->ctrl_dir == "/y");
}

TEST_CASE("cli: modes and errors") {
    CHECK(parse_cli({"--check"}, nullptr)->mode == CliMode::Check);
    CHECK(parse_cli({"--help"}, nullptr)->mode == CliMode::Help);
    CHECK(parse_cli({"--version"}, nullptr)->mode == CliMode::Version);
    auto base = parse_cli({"--check-base", "data/mail"}, nullptr);
    REQUIRE(base.ok());
    CHECK(base->mode == CliMode::CheckBase);
    CHECK(base->base_prefix == "data/mail");
    CHECK_FALSE(parse_cli({"--ctrl"}, nullptr).ok());
    CHECK_FALSE(parse_cli({"--bogus"}, nullptr).ok());
    CHECK(usage_text().find("--check") != std::string::npos);
}
