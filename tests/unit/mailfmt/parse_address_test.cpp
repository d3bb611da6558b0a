// Mailbox lists of From: as RFC 5322 3.4 has them (SEC-3): every address a
// reader would see, or "malformed" when the value cannot be read as mailboxes.
#include "mailfmt/parse.h"

#include <catch.hpp>

using namespace sbbs;

namespace {

std::vector<std::string> addresses(std::string_view v) {
    MailboxList l = parse_mailbox_list(v);
    std::vector<std::string> out;
    if (l.malformed) out.push_back("MALFORMED");
    for (auto& m : l.mailboxes) out.push_back(m.address);
    return out;
}

using V = std::vector<std::string>;

} // namespace

TEST_CASE("SEC-3 SMTP-182 mailbox list: ordinary forms give the same first mailbox as parse_mailbox", "[mailfmt][sec]") {
    for (const char* v : {"Alice <alice@remote.org>", "alice@remote.org", "\"Doe, John\" <j@x.org>",
                          "bob@x.org (Bob Smith)", "=?utf-8?q?Ren=C3=A9?= <rene@remote.org>",
                          "John \"Q\" Public <jqp@x.org>", "<bare@x.org>", "  Spaced   Name   <s@x.org>  "}) {
        CAPTURE(v);
        MailboxList l = parse_mailbox_list(v);
        REQUIRE_FALSE(l.malformed);
        REQUIRE(l.mailboxes.size() == 1);
        Mailbox old = parse_mailbox(v);
        CHECK(l.mailboxes[0].address == old.address);
        CHECK(l.mailboxes[0].name == old.name);
    }
}

TEST_CASE("SEC-3 mailbox list: every mailbox of a list and of groups", "[mailfmt][sec]") {
    CHECK(addresses("a@x.org, B <b@y.org>") == V{"a@x.org", "b@y.org"});
    CHECK(addresses("Friends: a@x.org, \"B, Jr\" <b@y.org>;, c@z.org") == V{"a@x.org", "b@y.org", "c@z.org"});
    CHECK(addresses("undisclosed-recipients:;") == V{});
    CHECK(addresses("a@x.org,, ,b@y.org") == V{"a@x.org", "b@y.org"});           // obs-mbox-list
    CHECK(addresses("Team: a@x.org") == V{"a@x.org"});                           // unclosed group: still read
}

TEST_CASE("SEC-3 mailbox list: comments, quoted strings, obsolete forms", "[mailfmt][sec]") {
    CHECK(addresses("(x) victim@bank.com") == V{"victim@bank.com"});
    CHECK(addresses("victim(a (nested) comment)@bank(c).com") == V{"victim@bank.com"});
    CHECK(addresses("victim@bank.com (Me <me@x.org>)") == V{"victim@bank.com"});
    CHECK(addresses("\"me@x.org\" <victim@bank.com>") == V{"victim@bank.com"});
    CHECK(addresses("\"Me <me@x.org>, \\\"q\\\"\" <victim@bank.com>") == V{"victim@bank.com"});
    CHECK(addresses("\"quoted local\"@bank.com") == V{"\"quoted local\"@bank.com"});
    CHECK(addresses("victim @ bank . com") == V{"victim@bank.com"});             // obs: CFWS around dots
    CHECK(addresses("<@relay.org,@r2.org:victim@bank.com>") == V{"victim@bank.com"});   // obs-route
    CHECK(addresses("a@[192.0.2.1]") == V{"a@[192.0.2.1]"});
    CHECK(parse_mailbox_list("(x) victim@bank.com").mailboxes[0].name == "x");
    CHECK(parse_mailbox_list("Me <me@x.org> (note)").mailboxes[0].name == "Me");
}

TEST_CASE("SEC-3 mailbox list: what is not a mailbox makes the list malformed", "[mailfmt][sec]") {
    for (const char* v : {"victim@bank.com, <>", "<>", "Name Only", "a@x.org <b@y.org> <c@z.org>",
                          "<a@x.org> trailing@y.org", "a@@x.org", "@x.org", "a@", "john smith@x.org",
                          "\"unterminated@x.org", "(unterminated a@x.org", "a@x.org)", "<a@x.org",
                          "a@x.org;", "G: a@x.org; H: b@y.org: c@z.org;", "a@\"quoted\".org"}) {
        CAPTURE(v);
        CHECK(parse_mailbox_list(v).malformed);
    }
    CHECK(parse_mailbox_list("(only a comment)").mailboxes.empty());
    CHECK(parse_mailbox_list("").mailboxes.empty());
}

TEST_CASE("SEC-3 mailbox list: a display name is a phrase, or an address that is listed too", "[mailfmt][sec]") {
    // An unquoted address as display name or group name is shown by readers: listed, so it is checked.
    CHECK(addresses("victim@bank.com <me@bbs.org>") == V{"victim@bank.com", "me@bbs.org"});
    CHECK(addresses("victim@bank.com : me@bbs.org;") == V{"victim@bank.com", "me@bbs.org"});
    CHECK(addresses("me@bbs.org <me@bbs.org>") == V{"me@bbs.org", "me@bbs.org"});
    CHECK(addresses("J. R. \"Bob\" Dobbs (church) <bob@x.org>") == V{"bob@x.org"});
    for (const char* v : {"a, b <me@bbs.org>", "x@ <me@bbs.org>", "[1.2.3.4] <me@bbs.org>", "a;b: me@bbs.org;",
                          "me@bbs.org: <x@y.org>;junk"}) {
        CAPTURE(v);
        CHECK(parse_mailbox_list(v).malformed);
    }
}

TEST_CASE("SEC-3 mailbox list: a control character makes the list malformed", "[mailfmt][sec]") {
    CHECK(parse_mailbox_list(std::string("victim@bank.com\0<me@bbs.org>", 29)).malformed);
    CHECK(parse_mailbox_list("Me\x01 <me@bbs.org>").malformed);
    CHECK(parse_mailbox_list("\"Me\x7f\" <me@bbs.org>").malformed);
    CHECK_FALSE(parse_mailbox_list("Me\t<me@bbs.org>").malformed);
}

TEST_CASE("SEC-3 SMTP-182 parse_rfc822_header: every mailbox of every From: field", "[mailfmt][sec]") {
    auto p = parse_rfc822_header("From: Alice <alice@remote.org>, b@x.org\r\nTo: t@x.org\r\nFrom: (c) c@y.org\r\n");
    CHECK(p.from.address == "alice@remote.org");
    CHECK(p.from.name == "Alice");
    CHECK_FALSE(p.from_all.malformed);
    REQUIRE(p.from_all.mailboxes.size() == 3);
    CHECK(p.from_all.mailboxes[2].address == "c@y.org");
    CHECK(parse_rfc822_header("From: a@x.org\r\nFrom: <>\r\n").from_all.malformed);
    CHECK(parse_rfc822_header("From: (x)\r\n").from_all.malformed);             // names no mailbox
    auto odd = parse_rfc822_header("From: Name Only\r\n");
    CHECK(odd.from_all.malformed);
    CHECK(odd.from.name == "Name Only");                                         // legacy reading kept
}
