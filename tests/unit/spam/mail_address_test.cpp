#include "spam/mail_address.h"

using namespace sbbs::spam;

TEST_CASE("SMTP-234 the name and the address of an argument or header value", "[spam]") {
    auto a = split_mail_address("<alice@example.org>");
    CHECK(a.name == "alice@example.org");
    CHECK(a.address == "alice@example.org");
    a = split_mail_address(" Alice Smith <alice@example.org>");
    CHECK(a.name == "Alice Smith");
    CHECK(a.address == "alice@example.org");
    a = split_mail_address("\"Smith, Alice\" <alice@example.org>");
    CHECK(a.name == "Smith, Alice");
    a = split_mail_address("alice@example.org (Alice)");
    CHECK(a.name == "Alice");
    CHECK(a.address == "alice@example.org");
    a = split_mail_address("<a@b.example> SIZE=100");   // ESMTP parameters after the path
    CHECK(a.address == "a@b.example");
    a = split_mail_address("bob@b.example");
    CHECK(a.name == "bob@b.example");
    CHECK(a.address == "bob@b.example");
    // A quote inside the brackets quotes the local part, not a name.
    a = split_mail_address("Bob <\"b o\"@b.example>");
    CHECK(a.name == "Bob");
    CHECK(split_mail_address(std::string(400, 'x')).address.size() == 127);   // bounded
}

TEST_CASE("SMTP-181 header lines are cut into name and value; folded lines are not fields", "[spam]") {
    auto f = header_field("Subject:   Buy now");
    REQUIRE(f);
    CHECK(f->name == "Subject");
    CHECK(f->value == "Buy now");
    CHECK_FALSE(header_field(" continued line"));
    CHECK_FALSE(header_field("\tcontinued: line"));
    CHECK_FALSE(header_field("no colon here"));
}
