// IDNA conversions and comparison (RFC 5891 through libidn2, RFC 6531 3.3).
#include "dns/idna.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("RFC6531-12 IDNA: U-labels and A-labels of one name compare equal", "[dns][idna]") {
    CHECK(domain_to_ascii("B\xc3\xbc" "cher.Example") == std::optional<std::string>("xn--bcher-kva.example"));
    CHECK(domain_to_ascii("Mail.Example") == std::optional<std::string>("mail.example"));   // ASCII: lower-cased only
    CHECK(domain_to_unicode("xn--bcher-kva.example") == std::optional<std::string>("b\xc3\xbc" "cher.example"));
    CHECK(domain_to_unicode("plain.example") == std::optional<std::string>("plain.example"));
    CHECK(same_domain("b\xc3\xbc" "cher.example", "XN--BCHER-KVA.example"));
    CHECK(same_domain("B\xc3\x9c" "CHER.example", "b\xc3\xbc" "cher.example"));
    CHECK_FALSE(same_domain("bucher.example", "xn--bcher-kva.example"));
    CHECK_FALSE(same_domain("b\xc3\xbc" "cher.example", ""));
    CHECK_FALSE(domain_to_ascii("b\xc3" ".example"));          // not UTF-8: no name
    CHECK(has_8bit("\x80"));
    CHECK_FALSE(has_8bit("ascii"));
}
