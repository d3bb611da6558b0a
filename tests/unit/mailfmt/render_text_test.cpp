// Message text retrieval, line splitting and the MIME/charset lines.
#include "mailfmt/render_parts.h"
#include "unit/pop3/message_builders.h"

#include <catch.hpp>

using namespace sbbs;
using sbbs::test::local_mail;
using sbbs::test::internet_mail;
using sbbs::test::test_context;

TEST_CASE("POP3-78 FMT-49 ISSUE13-3 text: comments, blank line, poll answers, body and tail", "[render]") {
    auto m = local_mail("Body\r\n");
    m.tail = "-- tail\r\n";
    m.hdr.add(smb::hf::SMB_COMMENT, "first comment");
    m.hdr.add(smb::hf::SMTPSYSMSG, "sys msg");
    m.hdr.add(0xE0, "Yes");
    // The original ends every field with one more CR LF; so do we when there is
    // a tail (the BBS wrote it): the tail is never glued to the body.
    const std::string original = "first comment\r\nsys msg\r\n\r\n 1: Yes\r\nBody\r\n\r\n-- tail\r\n\r\n";
    CHECK(message_text(m, false) == original);
    CHECK(message_text(m) == original);
    // A body alone (what SMTP stored) keeps its exact bytes.
    CHECK(message_text(local_mail("Body\r\n")) == "Body\r\n");
    CHECK(message_text(local_mail("Body\r\n"), false) == "Body\r\n\r\n");
    CHECK(message_text(local_mail("")) == "");
    CHECK(message_text(local_mail(std::string("ab\0\0", 4))) == "ab\r\n");
    CHECK(message_text(local_mail(std::string("ab\0\0", 4)), false) == "ab\r\n");
}

TEST_CASE("POP3-78 Ctrl-A codes are removed", "[render]") {
    CHECK(render::remove_ctrl_a("\x01hRed\x01n plain") == "Red plain");
    CHECK(render::remove_ctrl_a("abc\x01<d") == "abd");
    CHECK(render::remove_ctrl_a("one\x01/two") == "one\r\ntwo");
    CHECK(render::remove_ctrl_a("end\x01Zignored") == "end");
    CHECK(render::remove_ctrl_a("x\x01") == "x");
}

TEST_CASE("POP3-97 lines end at LF, split at 998 bytes, trailing white space removed", "[render]") {
    using V = std::vector<std::string>;
    CHECK(render::split_text_lines("a  \r\nb\t\r\n\r\nc", false) == V{"a", "b", "", "c"});
    CHECK(render::split_text_lines("a  \r\nb\t\r\n\r\nc") == V{"a  ", "b\t", "", "c"});   // ours: blanks kept
    CHECK(render::split_text_lines("bare\nlf\n") == V{"bare", "lf"});
    CHECK(render::split_text_lines("") == V{""});
    std::string longline(2000, 'x');
    auto l = render::split_text_lines(longline + "\r\n");
    REQUIRE(l.size() == 3);
    CHECK(l[0].size() == 998);
    CHECK(l[1].size() == 998);
    CHECK(l[2] == "xxxx");
    CHECK(render::split_text_lines(std::string(998, 'y') + "\r\nz\r\n") == V{std::string(998, 'y'), "z"});
    // Bytes >= 0x80 at a line end are kept (the original's signed-char bug drops them).
    CHECK(render::split_text_lines("caf\xC3\xA9\r\n") == V{"caf\xC3\xA9"});
}

TEST_CASE("POP3-97 rendered body is not dot-stuffed by the renderer and ends with CRLF", "[render]") {
    auto r = render_message(internet_mail(), test_context());
    CHECK(r.text == std::vector<std::string>{"Hi Alice,", ".hidden dot line", "Bye"});
    std::string all = render_rfc822(internet_mail(), test_context());
    const std::string end = "\r\n.hidden dot line\r\nBye\r\n";
    REQUIRE(all.size() >= end.size());
    CHECK(all.substr(all.size() - end.size()) == end);
    CHECK(all.size() == r.octets());
    // The original's extra CR LF after the stored body's own.
    auto ctx = test_context();
    ctx.exact_text = false;
    CHECK(render_message(internet_mail(), ctx).text == std::vector<std::string>{"Hi Alice,", ".hidden dot line", "Bye", ""});
    std::string orig = render_rfc822(internet_mail(), ctx);
    CHECK(orig.substr(orig.size() - 7) == "Bye\r\n\r\n");
    CHECK(orig.size() == all.size() + 2);
}

TEST_CASE("POP3-98 no Content-Length, Status or X-UIDL lines; body bytes as stored", "[render]") {
    auto m = local_mail("8bit \xE9t\xE9\r\n");
    std::string all = render_rfc822(m, test_context());
    CHECK(all.find("Content-Length") == std::string::npos);
    CHECK(all.find("Status:") == std::string::npos);
    CHECK(all.find("X-UIDL") == std::string::npos);
    CHECK(all.find("\r\n\r\n8bit \xE9t\xE9\r\n") != std::string::npos);
}

TEST_CASE("POP3-90 charset: stored, UTF-8 flags, ASCII, else IBM437", "[render]") {
    CHECK(render::text_charset(local_mail(), "plain") == "US-ASCII");
    CHECK(render::text_charset(local_mail(), "\xB0") == "IBM437");
    auto u = local_mail();
    u.hdr.auxattr |= smb::auxattr::HFIELDS_UTF8;
    CHECK(render::text_charset(u, "\xB0") == "UTF-8");
    auto k = local_mail();
    k.hdr.add(0xA0, "CHRS: UTF-8 4");
    CHECK(render::text_charset(k, "x") == "UTF-8");
    auto c = local_mail();
    c.hdr.add(0xA9, "UTF-8 4");
    CHECK(render::text_charset(c, "x") == "UTF-8");
    CHECK(render::text_charset(internet_mail(), "x") == "ISO-8859-1");
    auto q = local_mail();
    q.hdr.add(smb::hf::RFC822HEADER, "Content-Type: text/html; charset=\"koi8-r\"; format=flowed");
    CHECK(render::text_charset(q, "x") == "koi8-r");
    CHECK(render::stored_content_type(q.hdr).subtype == "html");
}

TEST_CASE("POP3-91 non-Internet mail without a Content-Type gets text/plain and 8bit", "[render]") {
    auto r = render_message(local_mail(), test_context());
    REQUIRE(r.header.size() == 10);
    CHECK(r.header[7] == "Content-Type: text/plain; charset=US-ASCII");
    CHECK(r.header[8] == "Content-Transfer-Encoding: 8bit");
    CHECK(r.header[9] == "");
    for (auto& l : r.header) CHECK(l.rfind("MIME-Version", 0) != 0);
    auto i = render_message(internet_mail(), test_context());
    for (auto& l : i.header) CHECK(l.rfind("Content-Transfer-Encoding", 0) != 0);
    auto cp = render_message(local_mail("\xB0\xB1\r\n"), test_context());
    CHECK(cp.header[7] == "Content-Type: text/plain; charset=IBM437");
}

TEST_CASE("POP3-99 TOP line counting happens after the 998-byte split", "[render]") {
    auto r = render_message(local_mail(std::string(1500, 'q') + "\r\nsecond\r\n"), test_context());
    REQUIRE(r.text.size() == 3);
    CHECK(r.text[1] == std::string(502, 'q'));
    CHECK(r.octets_top(1) < r.octets_top(2));
    CHECK(r.octets_top(r.text.size()) == r.octets());
}

TEST_CASE("POP3-97 (ours, exact text) stored text comes back byte for byte", "[render]") {
    auto ctx = test_context();
    ctx.exact_text = true;
    std::string body = "flowed line \r\n8-bit \xE9\xE8\r\n.dot\r\n\r\n" + std::string(998, 'x') + "\r\nend";
    auto m = local_mail(body);
    CHECK(message_text(m, true) == body + "\r\n");
    CHECK(message_text(local_mail("ends\r\n"), true) == "ends\r\n");
    std::string all = render_rfc822(m, ctx);
    CHECK(all.substr(all.find("\r\n\r\n") + 4) == body + "\r\n");
    CHECK(render::split_text_lines("a \t\r\n", true) == std::vector<std::string>{"a \t"});
}

TEST_CASE("ISSUE14-4 POP3-90 an 8-bit byte anywhere in the text makes it IBM437, none US-ASCII", "[render]") {
    for (size_t len : {size_t(1), size_t(7), size_t(8), size_t(63), size_t(64), size_t(65), size_t(200)})
        for (size_t at = 0; at < len; at += (len > 20 ? 13 : 1)) {
            std::string body(len, 'a');
            body[at] = '\xB0';
            INFO("len " << len << " at " << at);
            CHECK(render::text_charset(local_mail(body), body) == "IBM437");
            std::string plain(len, 'a');
            CHECK(render::text_charset(local_mail(plain), plain) == "US-ASCII");
        }
}
