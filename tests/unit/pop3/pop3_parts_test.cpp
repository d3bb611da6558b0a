// The small pieces of the POP3 server: SASL PLAIN decoding, login IDs, durations.
#include "memory_user_directory.h"
#include "pop3/login_id.h"
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

TEST_CASE("POP3-32 the #nospam suffix is cut wherever it appears, case-sensitively", "[pop3]") {
    auto a = pop3::parse_login_id("alice#nospam");
    CHECK(a.name == "alice");
    CHECK(a.no_spam);
    auto b = pop3::parse_login_id("ali#nospamce");
    CHECK(b.name == "ali");
    CHECK(b.no_spam);
    auto c = pop3::parse_login_id("alice#NoSpam");
    CHECK(c.name == "alice#NoSpam");
    CHECK(!c.no_spam);
}

TEST_CASE("POP3-33 digit-led IDs are only numbers when login by number is on", "[pop3]") {
    test::MemoryUserDirectory users;
    users.add(1, "Sysop", "x");
    users.add(2, "2pac", "x");
    SystemSettings sys;
    CHECK(pop3::find_login_user(users, sys, "2pac") == 2);
    sys.login = SystemSettings::LOGIN_USERNUM;
    CHECK(pop3::find_login_user(users, sys, "2pac") == 0);
    CHECK(pop3::find_login_user(users, sys, "1") == 1);
    CHECK(pop3::find_login_user(users, sys, "3") == 0);
    CHECK(pop3::find_login_user(users, sys, "sysop") == 1);
}

