// util/base64: RFC 4648 encoding, strict decoding, and the lenient decoding
// used for base64 taken from reply lines (SASL challenges).
#include "util/base64.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("base64 round trip with every padding length (RFC 4648 section 10)", "[util]") {
    const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char* coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; ++i) {
        CHECK(base64_encode(plain[i]) == coded[i]);
        CHECK(base64_decode(coded[i]).value() == plain[i]);
    }
    std::string binary("\0\xff\x10 \r\n", 6);
    CHECK(base64_decode(base64_encode(binary)).value() == binary);
}

TEST_CASE("strict base64 refuses white space, bad length and stray padding", "[util]") {
    CHECK_FALSE(base64_decode("Zm9v\r\n"));
    CHECK_FALSE(base64_decode(" Zm9v"));
    CHECK_FALSE(base64_decode("Zm9"));
    CHECK_FALSE(base64_decode("Z=9v"));
    CHECK_FALSE(base64_decode("Zm9v!!!!"));
}

TEST_CASE("lenient base64 ignores surrounding blanks and gives empty text when malformed", "[util]") {
    CHECK(base64_decode_lenient("Zm9vYg==\r\n") == "foob");
    CHECK(base64_decode_lenient("  Zm9v \t") == "foo");
    CHECK(base64_decode_lenient("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+ ") ==
          "<1896.697170952@postoffice.reston.mci.net>");   // RFC 2195's challenge
    CHECK(base64_decode_lenient("").empty());
    CHECK(base64_decode_lenient("Zm9").empty());
    CHECK(base64_decode_lenient("Zm 9v").empty());   // blanks inside are not skipped
    CHECK(base64_decode_lenient("%%%%").empty());
}
