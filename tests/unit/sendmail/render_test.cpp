// SendMail transmits the shared renderer's text (the POP3 RETR rendering).
#include "harness.h"

#include "sendmail/data_text.h"
#include "sendmail/renderer.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::test;

TEST_CASE("SEND-67 SEND-68 the text sent is render_rfc822's, dot-stuffed", "[sendmail]") {
    Config cfg;
    cfg.msgs.inet_addr = "bbs.test";
    cfg.sys.name = "Test BBS";
    auto ctx = render_context(cfg);
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    auto n = h.queue("bob@remote.example", "Hello\r\n.dotted\r\n");
    SendMail sm(h.s, SendMailDeps{h.store, h.dns, *h.connector, rfc822_renderer(ctx), h.log});
    CHECK(sm.scan(true).sent == 1);
    std::string want = render_rfc822(h.store.read(n, true).value(), ctx);
    std::string stuffed;
    size_t lines = 0;
    write_data_text(want, [&](std::string_view b) { return stuffed.append(b), true; }, lines);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 1);
    CHECK(ss[0].data == stuffed);
    CHECK(ss[0].data.find("From: \"John Doe\" <John.Doe@bbs.test>\r\n") != std::string::npos);
    CHECK(ss[0].data.find("\r\n..dotted\r\n") != std::string::npos);
}
