// SendMail and SMTPUTF8 (RFC 6531 3.4, RFC 6532): mail that needs it goes
// only to a peer that offers it, else bounces with 5.6.7; an IDNA domain
// alone goes to any peer as A-labels; ASCII mail is unchanged.
#include "harness.h"

#include "sendmail/envelope.h"
#include "sendmail/smtputf8.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::test;
namespace hf = smb::hf;

namespace {

const std::vector<std::string> kUtf8Ehlo = {"250-fake.test", "250-8BITMIME", "250 SMTPUTF8"};

std::string bounce_reason(Harness& h) {
    auto notes = h.notices();
    REQUIRE(notes.size() == 1);
    return human_part(notes[0]);
}

bool sent_mail_from(const FakeSmtpServer::Session& s) {
    for (auto& c : s.commands)
        if (c.rfind("MAIL", 0) == 0) return true;
    return false;
}

} // namespace

TEST_CASE("RFC6531-7 a UTF-8 recipient goes to a peer offering SMTPUTF8 with the parameter", "[sendmail][utf8]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kUtf8Ehlo;
    h.start_relay(f);
    h.queue("j\xc3\xbcrgen@b\xc3\xbc" "cher.example");
    auto ss = h.scan_one_session(f);
    CHECK(contains(ss[0].commands, "MAIL FROM:<John.Doe@bbs.test> SMTPUTF8"));
    CHECK(contains(ss[0].commands, "RCPT TO:<j\xc3\xbcrgen@b\xc3\xbc" "cher.example>"));
}

TEST_CASE("RFC6531-8 a UTF-8 recipient bounces with 5.6.7 when the peer lacks SMTPUTF8, nothing sent", "[sendmail][utf8]") {
    Harness h;
    FakeSmtpServer f;                                      // EHLO without SMTPUTF8
    h.start_relay(f);
    auto n = h.queue("j\xc3\xbcrgen@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    CHECK((h.hdr(n).attr & smb::attr::DELETE));
    for (auto& s : f.sessions()) CHECK_FALSE(sent_mail_from(s));
    std::string reason = bounce_reason(h);
    CHECK(reason.find("does not support SMTPUTF8") != std::string::npos);
    CHECK(reason.find("553 5.6.7") != std::string::npos);
}

TEST_CASE("RFC6531-9 an IDNA domain with an ASCII local part goes to any peer as A-labels", "[sendmail][utf8]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.queue("bob@B\xc3\xbc" "cher.example");
    auto ss = h.scan_one_session(f);
    CHECK(contains(ss[0].commands, "MAIL FROM:<John.Doe@bbs.test>"));
    CHECK(contains(ss[0].commands, "RCPT TO:<bob@xn--bcher-kva.example>"));
    CHECK(envelope::destination_domain("<bob@b\xc3\xbc" "cher.example>") == "xn--bcher-kva.example");
    CHECK(envelope::destination_domain("bob@b\xc3\xbc" "cher.example:2525") == "xn--bcher-kva.example:2525");
    CHECK(envelope::destination_domain("bob@Remote.Example") == "Remote.Example");   // ASCII untouched
}

TEST_CASE("RFC6532-2 a UTF-8 header field needs SMTPUTF8 too; legacy 8-bit headers do not", "[sendmail][utf8]") {
    CHECK(smtputf8::utf8_header("Subject: Gr\xc3\xbc\xc3\x9f" "e\r\n\r\nbody"));
    CHECK_FALSE(smtputf8::utf8_header("Subject: hi\r\n\r\nGr\xc3\xbc\xc3\x9f" "e"));   // the body is 8BITMIME's
    CHECK_FALSE(smtputf8::utf8_header("Subject: Gr\x81\xe1" "e\r\n\r\n"));           // CP437: as before
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    NewMessage m;
    m.hdr.netattr = smb::netattr::LOCAL;
    m.hdr.add(hf::SENDER, "John Doe");
    m.hdr.add(hf::SENDEREXT, "1");
    m.hdr.add(hf::SUBJECT, "Gr\xc3\xbc\xc3\x9f" "e");    // Harness::render writes it raw
    m.body = "hi\r\n";
    RecipientCopy c;
    c.append = {{hf::RECIPIENT, "Bob"},
                {hf::RECIPIENTNETTYPE, std::string{char(smb::net::INTERNET), 0}},
                {hf::RECIPIENTNETADDR, "bob@remote.example"}};
    REQUIRE(h.store.add_mail(m, {c}).ok());
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    CHECK(bounce_reason(h).find("553 5.6.7") != std::string::npos);
}

TEST_CASE("RFC6531-10 ASCII mail to a peer offering SMTPUTF8 is sent as before, no parameter", "[sendmail][utf8]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kUtf8Ehlo;
    h.start_relay(f);
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(contains(ss[0].commands, "MAIL FROM:<John.Doe@bbs.test>"));
}
