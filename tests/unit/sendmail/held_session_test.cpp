// Issue #14 review, finding 2: a held session the peer closed since its
// last transaction is replaced at no cost to the mail (SEND-90).
#include "harness.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::test;

TEST_CASE("ISSUE14-2 SEND-90 a reused session the peer closed at MAIL is replaced; the message is sent, no attempt counted",
          "[sendmail]") {
    // The peer takes one message and then hangs up (or says 421) when the
    // next MAIL comes on that connection; a new connection takes it.
    std::string at_mail = GENERATE(std::string("<close>"), std::string("421 4.4.2 idle too long"));
    Harness h;
    FakeSmtpServer f;
    f.replies["MAIL"] = {"250 OK", at_mail, "250 OK"};
    h.start_relay(f);
    h.s.delivery_workers = 1;   // both messages over one worker's held session
    uint32_t first = h.queue("bob@example.com", "one\r\n");
    uint32_t second = h.queue("carol@example.com", "two\r\n");
    auto sm = h.make();
    auto st = sm.scan(true);
    CHECK(st.sent == 2);
    CHECK(st.failed == 0);
    CHECK(h.hdr(first).delivery_attempts == 0);
    CHECK(h.hdr(second).delivery_attempts == 0);
    CHECK((h.hdr(second).netattr & smb::netattr::SENT) != 0);
    REQUIRE(f.sessions().size() == 2);
    CHECK(f.sessions()[1].data.find("two") != std::string::npos);
}

TEST_CASE("ISSUE14-2 SEND-90 a fresh session failing at MAIL still counts the attempt", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["MAIL"] = {"421 4.3.2 shutting down"};
    h.start_relay(f);
    h.s.delivery_workers = 1;
    uint32_t n = h.queue("bob@example.com");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(h.hdr(n).delivery_attempts == 1);
    CHECK(f.sessions().size() == 1);   // no second try on another connection
}
