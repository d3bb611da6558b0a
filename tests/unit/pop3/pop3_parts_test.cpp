// The small pieces of the POP3 server: SASL PLAIN decoding, login IDs, durations.
#include "pop3/sasl_plain.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("POP3-28 (beyond the original) SASL PLAIN responses decode per RFC 4616", "[pop3]") {
    auto c = pop3::decode_plain("YWRtaW4AYWxpY2UAcHc=");   // "admin\0alice\0pw"
    REQUIRE(c);
    CHECK(c->authzid == "admin");
    CHECK(c->authcid == "alice");
    CHECK(c->password == "pw");
    CHECK(!pop3::decode_plain("YWxpY2U="));                // no NUL separators
    CHECK(!pop3::decode_plain("AABwdw=="));                // empty authcid
    CHECK(!pop3::decode_plain("abc"));
    CHECK(pop3::base64_decode("TWE=") == std::string("Ma"));
}

