// RFC 822 header -> SMB fields, MIME words, mailboxes and dates.
#include "mailfmt/parse.h"
#include "msgbase/smb_defs.h"

#include <catch.hpp>

using namespace sbbs;

static std::vector<uint16_t> types(const ParsedHeader& p) {
    std::vector<uint16_t> t;
    for (auto& f : p.fields) t.push_back(f.type);
    return t;
}

TEST_CASE("FMT-110 SMTP-198 header lines map to SMB fields in order", "[mailfmt]") {
    auto p = parse_rfc822_header(
        "Received: from a by b\r\n"
        "Return-Path: <x@y>\r\n"
        "From: Alice <alice@remote.org>\r\n"
        "To: John <john@example.com>\r\n"
        "Cc: Bob <bob@x.org>\r\n"
        "Reply-To: Replies <r@remote.org>\r\n"
        "Organization: ACME\r\n"
        "Message-ID: <1@remote.org>\r\n"
        "In-Reply-To: <0@remote.org>\r\n"
        "Date: Thu, 26 Nov 2026 10:21:58 -0500\r\n"
        "X-Priority: 2\r\n"
        "Subject: Hello\r\n"
        "X-Mailer: Foo\r\n"
        "no colon line\r\n");
    using namespace smb::hf;
    std::vector<uint16_t> want{SMTPRECEIVED, RFC822FROM, RECIPIENTLIST, SMB_CARBONCOPY, REPLYTOLIST,
                               REPLYTONETTYPE, REPLYTONETADDR, SENDERORG, RFC822MSGID, RFC822REPLYID,
                               SUBJECT, RFC822HEADER, RFC822HEADER};
    CHECK(types(p) == want);
    CHECK(p.fields[0].data == "from a by b");
    CHECK(p.fields[1].data == "Alice <alice@remote.org>");
    CHECK(p.fields[5].data == std::string("\5\0", 2));
    CHECK(p.fields[6].data == "r@remote.org");
    CHECK(p.fields[11].data == "X-Mailer: Foo");
    CHECK(p.fields[12].data == "no colon line");
    CHECK(p.priority == 2);
    CHECK(p.has_message_id);
    CHECK(p.subject == "Hello");
    CHECK(p.to_name == "John");
    CHECK(p.from.name == "Alice");
    CHECK(p.from.address == "alice@remote.org");
}

TEST_CASE("FMT-110 SMTP-197 folded lines: CRLF kept for Received/other, one space otherwise", "[mailfmt]") {
    auto p = parse_rfc822_header(
        "Received: from a\r\n"
        "\tby b\r\n"
        "Subject: part one\r\n"
        "   part two\r\n"
        "X-Long: x\r\n"
        " y\r\n");
    REQUIRE(p.fields.size() == 3);
    CHECK(p.fields[0].data == "from a\r\n\tby b");
    CHECK(p.fields[1].type == smb::hf::SUBJECT);
    CHECK(p.fields[1].data == "part one part two");
    CHECK(p.fields[2].data == "X-Long: x\r\n y");
}

TEST_CASE("FMT-110 X-Priority beyond lowest is unspecified; Date sets when_written", "[mailfmt]") {
    auto p = parse_rfc822_header("X-Priority: 9\r\nDate: Thu, 26 Nov 2026 10:21:58 -0500\r\n");
    CHECK(p.priority == 0);
    REQUIRE(p.has_date);
    CHECK(p.when_written.year == 2026);
    CHECK(p.when_written.time == (11u << 22 | 26u << 17 | 10u << 12 | 21u << 6 | 58u));
    CHECK(p.when_written.zone == -300);
}

TEST_CASE("FMT-111 SMTP-200 encoded values keep the raw field and add a decoded one", "[mailfmt]") {
    auto p = parse_rfc822_header(
        "Subject: =?UTF-8?B?SGVsbG8g4pyT?= =?ISO-8859-1?Q?caf=E9_time?=\r\n"
        "To: plain@example.com\r\n");
    REQUIRE(p.fields.size() == 3);
    CHECK(p.fields[0].type == smb::hf::RFC822SUBJECT);
    CHECK(p.fields[1].type == smb::hf::RECIPIENTLIST);
    CHECK(p.fields[2].type == smb::hf::SUBJECT);
    CHECK(p.fields[2].data == "Hello \xE2\x9C\x93" "caf\xC3\xA9 time");
    CHECK(p.utf8);
}

TEST_CASE("FMT-111 a message without Subject gets an empty SUBJECT field", "[mailfmt]") {
    auto p = parse_rfc822_header("From: a@b.c\r\n");
    REQUIRE(p.fields.size() == 2);
    CHECK(p.fields[1].type == smb::hf::SUBJECT);
    CHECK(p.fields[1].data.empty());
}

TEST_CASE("SMTP-199 X-Spam-Flag: Yes marks spam", "[mailfmt]") {
    CHECK(parse_rfc822_header("X-Spam-Flag: YES\r\n").spam);
    CHECK_FALSE(parse_rfc822_header("X-Spam-Flag: No\r\n").spam);
}

TEST_CASE("SMTP-200 FMT-139 control characters are stripped from B-decoded words", "[mailfmt]") {
    bool enc = false;
    CHECK(decode_mime_words("=?utf-8?b?YQdiDWM=?=", &enc) == "abc");
    CHECK(enc);
    CHECK(decode_mime_words("plain text", &enc) == "plain text");
    CHECK_FALSE(enc);
}

TEST_CASE("SMTP-201 To's first address names the recipient; From gives name and address", "[mailfmt]") {
    auto p = parse_rfc822_header("To: \"Doe, John\" <j@x.org>, Mary <m@x.org>\r\n"
                                 "From: =?utf-8?q?Ren=C3=A9?= <rene@remote.org>\r\n");
    CHECK(p.to_name == "Doe, John");
    CHECK(p.from.name == "Ren\xC3\xA9");
    CHECK(p.from.address == "rene@remote.org");
    CHECK(parse_mailbox("bob@x.org (Bob Smith)").name == "Bob Smith");
    CHECK(parse_mailbox("bob@x.org").name == "bob@x.org");
}

TEST_CASE("FMT-114 body charset test: valid non-ASCII UTF-8 only", "[mailfmt]") {
    CHECK(is_non_ascii_utf8("caf\xC3\xA9"));
    CHECK_FALSE(is_non_ascii_utf8("plain"));
    CHECK_FALSE(is_non_ascii_utf8("caf\xE9"));
}
