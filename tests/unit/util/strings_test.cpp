#include "util/strings.h"
#include "util/result.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("strings: trim and case-insensitive compare", "[util]") {
    CHECK(trim("  a b \r\n") == "a b");
    CHECK(iequals("MaIl", "mail"));
    CHECK_FALSE(iequals("mail", "mails"));
    CHECK(istarts_with("SUB:general", "sub:"));
    CHECK(split("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
    CHECK(all_digits("0123"));
    CHECK_FALSE(all_digits("12a"));
}

TEST_CASE("Result carries a value or an error", "[util]") {
    Result<int> good = 5;
    Result<int> bad = make_error("nope", ErrorCode::NotFound);
    REQUIRE(good.ok());
    CHECK(*good == 5);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == ErrorCode::NotFound);
}

TEST_CASE("RFC5322-2.2 review 12: printable_ascii, the one printable helper of the header writers", "[util]") {
    CHECK(printable_ascii("a\rb\nc\x01\x7f\xc3\xa9 d") == "a?b?c???? d");
    CHECK(printable_ascii("abcdef", 3) == "abc");
    CHECK(printable_ascii("") == "");
}
