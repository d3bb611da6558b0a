// The header scanner mail authentication counts and drops fields with.
#include "auth/header_fields.h"

#include <catch.hpp>

using namespace sbbs::auth;

TEST_CASE("RFC6376-8.4 header fields with their exact spans, folded lines included, body left alone", "[auth]") {
    std::string m = "From : a@b\r\nDKIM-Signature: v=1;\r\n\tb=x\r\nnot a field\r\n continued\r\nTo: c\r\n\r\nX: body\r\n";
    auto f = header_fields(m);
    REQUIRE(f.size() == 3);
    CHECK(f[0].name == "From");
    CHECK(f[0].value == " a@b");
    CHECK(f[1].name == "DKIM-Signature");
    CHECK(f[1].value == " v=1;\r\n\tb=x");
    CHECK(m.substr(f[1].begin, f[1].end - f[1].begin) == "DKIM-Signature: v=1;\r\n\tb=x\r\n");
    CHECK(f[2].name == "To");          // the line without a colon took no continuation
    CHECK(header_fields("Subject: no end").front().value == " no end");
    CHECK(header_fields("\r\nFrom: body@only\r\n").empty());
}
