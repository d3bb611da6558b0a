// Issue #14: RETR's reply is written straight from the message text
// (retr_text_full), without a string per line; it must give exactly the
// bytes, line counts and octets of the line-by-line form (POP3-80, POP3-97,
// RFC 1939 dot-stuffing).
#include "message_builders.h"
#include "pop3/retr_text.h"

#include "mailfmt/render_parts.h"

#include <catch.hpp>

using namespace sbbs;

namespace {
void check_same(const smb::Message& m, bool exact) {
    RenderContext ctx = test::test_context();
    ctx.exact_text = exact;
    RenderedMessage lines = render_message(m, ctx);
    pop3::RetrText want = pop3::retr_text(lines, lines.text.size(), true);
    std::string text;
    RenderedMessage head = render_message_head(m, ctx, text);
    CHECK(head.text.empty());
    CHECK(head.text_bytes == lines.text_bytes);
    pop3::RetrText got = pop3::retr_text_full(head, text, exact);
    CHECK(got.bytes == want.bytes);
    CHECK(got.lines == want.lines);
    CHECK(got.body_bytes == want.body_bytes);
    CHECK(got.octets == lines.octets());
    CHECK(want.octets == lines.octets());
    CHECK(pop3::retr_octets(head, text, exact) == lines.octets());
}
} // namespace

TEST_CASE("ISSUE14-2 POP3-80 POP3-97 RETR written from the text equals the line-by-line reply", "[pop3]") {
    const std::string bodies[] = {
        "Hello Alice\r\n",
        "",                                                   // one empty line
        ".leading dot\r\n..two dots\r\n.\r\nend",             // stuffing, no final CR LF
        "bare\nlf\nline ends\n",
        "trailing blanks  \r\ntab\t\r\n\r\n\r\n",
        std::string(2500, 'x') + "\r\n." + std::string(997, 'y') + "\r\n",   // 998-byte splits
        std::string(998, '.') + "\r\n",
        "lone\rCR inside\r\n",
        "ctrl-A \x01" "Bbold\x01n and \x01/ new line\r\n",
        "cp437 \xB0\xB1\r\n",
    };
    for (bool exact : {true, false})
        for (auto& body : bodies) {
            INFO("exact " << exact << " body " << body.substr(0, 40));
            check_same(test::local_mail(body), exact);
        }
    check_same(test::internet_mail(), true);                  // folded Received line, dot line
    check_same(test::internet_mail(), false);
}

TEST_CASE("ISSUE14-2 POP3-91 RETR written from the text keeps the attachment parts and their stuffing", "[pop3]") {
    RenderedMessage head;
    head.header = {"Subject: x", "X-Folded: a\r\n.b", ""};
    head.full_end = {"", "--b", ".QUJD", "--b--", ""};
    RenderedMessage lines = head;
    lines.text = render::split_text_lines(".body\r\nmore\r\n");
    pop3::RetrText want = pop3::retr_text(lines, lines.text.size(), true);
    pop3::RetrText got = pop3::retr_text_full(head, ".body\r\nmore\r\n", true);
    CHECK(got.bytes == want.bytes);
    CHECK(got.bytes.find("\r\n..b\r\n") != std::string::npos);      // the folded piece is stuffed
    CHECK(got.bytes.find("\r\n..QUJD\r\n") != std::string::npos);
    CHECK(got.octets == lines.octets());
}
