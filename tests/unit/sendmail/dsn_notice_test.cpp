// SendMail's delivery status notices as the stored DSN parameters ask
// (RFC 3461 4, 6; RFC 3464): failure, the one delay notice, relayed success,
// none for NOTIFY=NEVER or a null reverse path; notices go with MAIL FROM:<>.
#include "harness.h"

#include "dsn/params.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::test;
namespace hf = smb::hf;

namespace {

struct Dsn {
    std::string env, rcpt;   // stored forms ("RET=HDRS ENVID=x", "NOTIFY=SUCCESS ORCPT=rfc822;a@b")
};

// Harness::queue with the DSN fields stored on the copy (dsn::store's form);
// `internet_from` makes the sender an Internet address with that reverse path.
uint32_t queue_dsn(Harness& h, const std::string& to, const Dsn& d, const std::string* internet_from = nullptr) {
    NewMessage m;
    m.hdr.netattr = smb::netattr::LOCAL;
    m.hdr.add(hf::SENDER, "John Doe");
    if (internet_from) {
        m.hdr.add_u16(hf::SENDERNETTYPE, smb::net::INTERNET);
        m.hdr.add(hf::SENDERNETADDR, "john@far.example");
        m.hdr.add(hf::SMTPREVERSEPATH, *internet_from);
    } else {
        m.hdr.add(hf::SENDEREXT, "1");
    }
    m.hdr.add(hf::SUBJECT, "Greetings");
    m.hdr.add(hf::RFC822MSGID, "<65A1B2C3.7@bbs.test>");
    m.hdr.when_imported_time = 1796688000;
    m.body = "Hello\r\n";
    RecipientCopy c;
    c.append = {{hf::RECIPIENT, "Bob"},
                {hf::RECIPIENTNETTYPE, std::string{char(smb::net::INTERNET), 0}},
                {hf::RECIPIENTNETADDR, to}};
    if (!d.env.empty()) c.append.push_back({hf::DSN_ENVELOPE, d.env});
    if (!d.rcpt.empty()) c.append.push_back({hf::DSN_RECIPIENT, d.rcpt});
    return h.store.add_mail(m, {c}).value().front();
}

bool has(const std::string& s, const std::string& what) { return s.find(what) != std::string::npos; }

std::vector<smb::Message> notices_with(Harness& h, const std::string& subject_prefix) {
    std::vector<smb::Message> out;
    for (auto& m : h.notices())
        if (m.hdr.get(hf::SUBJECT).rfind(subject_prefix, 0) == 0) out.push_back(m);
    return out;
}

} // namespace

TEST_CASE("RFC3461-4.1 SEND-92 NOTIFY=NEVER, or a NOTIFY without FAILURE, bounces without a notice", "[sendmail][dsn]") {
    for (std::string notify : {"NOTIFY=NEVER", "NOTIFY=SUCCESS,DELAY"}) {
        Harness h;
        FakeSmtpServer f;
        f.replies["RCPT"] = {"550 5.1.1 no such user"};
        h.start_relay(f);
        auto n = queue_dsn(h, "bob@remote.example", {"", notify});
        auto sm = h.make();
        CHECK(sm.scan(true).bounced == 1);
        CHECK((h.hdr(n).attr & smb::attr::DELETE));
        CHECK(h.notices().empty());
        CHECK(h.log.has(LogLevel::Notice, "!Deleted undeliverable message from John Doe"));
    }
}

TEST_CASE("RFC3461-4.2 RFC3461-4.4 RFC3464-2.2.1 RFC3464-2.3.1 SEND-93 ENVID and ORCPT come back in the failure report", "[sendmail][dsn]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"550 5.1.1 no such user"};
    h.start_relay(f);
    queue_dsn(h, "bob@remote.example", {"ENVID=QQ+2B314", "NOTIFY=FAILURE ORCPT=rfc822;Bob@Remote.Example"});
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    auto notes = notices_with(h, "Delivery failure: ");
    REQUIRE(notes.size() == 1);
    const std::string& b = notes[0].body;
    CHECK(has(b, "Reporting-MTA: dns; mail.bbs.test\r\nOriginal-Envelope-Id: QQ+314\r\n"
                 "Arrival-Date: Tue, 08 Dec 2026 00:00:00 +0000\r\n"));
    CHECK(has(b, "\r\nOriginal-Recipient: rfc822;Bob@Remote.Example\r\nFinal-Recipient: rfc822;bob@remote.example\r\n"
                 "Action: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; 127.0.0.1\r\n"
                 "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\nLast-Attempt-Date: "));
    CHECK(has(b, "Content-Type: message/rfc822\r\n"));
    CHECK(notes[0].hdr.last(hf::DSN_RECIPIENT) == nullptr);   // a notice asks for no notice itself
}

TEST_CASE("RFC3461-4.3 RET=HDRS: the failure report returns the header only", "[sendmail][dsn]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"550 no"};
    h.start_relay(f);
    queue_dsn(h, "bob@remote.example", {"RET=HDRS", ""});
    auto sm = h.make();
    (void)sm.scan(true);
    auto notes = notices_with(h, "Delivery failure: ");
    REQUIRE(notes.size() == 1);
    CHECK(has(notes[0].body, "Content-Type: text/rfc822-headers\r\n"));
    CHECK_FALSE(has(notes[0].body, "message/rfc822"));
    CHECK(has(notes[0].body, "Subject: Greetings\r\n"));
    CHECK_FALSE(has(notes[0].body, "Hello\r\n"));
    CHECK(has(human_part(notes[0]), "Original message header follows:"));
}

TEST_CASE("RFC3461-4.1 RFC3464-2.3.3 NOTIFY=DELAY: one delay notice, after the first retry failed; none without DELAY", "[sendmail][dsn]") {
    for (bool delay : {true, false}) {
        Harness h;
        h.s.max_delivery_attempts = 5;
        FakeSmtpServer f;
        f.replies["RCPT"] = {"450 4.2.0 mailbox busy"};
        h.start_relay(f);
        auto n = queue_dsn(h, "bob@remote.example", {"", delay ? "NOTIFY=FAILURE,DELAY" : ""});
        auto sm = h.make();
        size_t after_first = 0;
        for (int i = 0; i < 12 && h.hdr(n).delivery_attempts < 4; ++i) {   // periodic scans: 1, 2, 4 rescans apart
            (void)sm.scan(true);
            if (h.hdr(n).delivery_attempts == 1) after_first = notices_with(h, "Delivery delayed: ").size();
        }
        REQUIRE(h.hdr(n).delivery_attempts == 4);
        CHECK(after_first == 0);                           // not after the first attempt
        auto notes = notices_with(h, "Delivery delayed: ");
        CHECK(notes.size() == (delay ? 1u : 0u));
        CHECK(h.notices().size() == notes.size());         // and no failure notice yet
        if (notes.empty()) continue;
        const std::string& b = notes[0].body;
        CHECK(has(b, "Action: delayed\r\nStatus: 4.2.0\r\nRemote-MTA: dns; 127.0.0.1\r\n"
                     "Diagnostic-Code: smtp; 450 4.2.0 mailbox busy\r\n"));
        CHECK(has(b, "Will-Retry-Until: "));
        CHECK(has(b, "Content-Type: text/rfc822-headers\r\n"));   // RET unset: the header only
        CHECK(has(human_part(notes[0]), "delayed delivery of message after 2 attempts"));
    }
}

TEST_CASE("RFC3461-6.2.1 NOTIFY=SUCCESS: a relayed notice when the next hop lacks DSN, none when it offers it", "[sendmail][dsn]") {
    for (bool peer_dsn : {false, true}) {
        Harness h;
        FakeSmtpServer f;
        if (peer_dsn) f.ehlo = {"250-fake.test", "250 DSN"};
        h.start_relay(f);
        auto n = queue_dsn(h, "bob@remote.example", {"ENVID=e1", "NOTIFY=SUCCESS"});
        auto sm = h.make();
        CHECK(sm.scan(true).sent == 1);
        CHECK((h.hdr(n).netattr & smb::netattr::SENT));
        auto notes = notices_with(h, "Delivery relayed: ");
        CHECK(notes.size() == (peer_dsn ? 0u : 1u));
        CHECK(h.notices().size() == notes.size());
        if (notes.empty()) continue;
        CHECK(has(notes[0].body, "Original-Envelope-Id: e1\r\n"));
        CHECK(has(notes[0].body, "Final-Recipient: rfc822;bob@remote.example\r\nAction: relayed\r\nStatus: 2.0.0\r\n"
                                 "Remote-MTA: dns; 127.0.0.1\r\n"));
        CHECK(notes[0].hdr.get(hf::RECIPIENTEXT) == "1");   // to the local sender's mailbox
    }
}

TEST_CASE("RFC3461-6.2 SEND-92 a null reverse path gets no notice of any kind", "[sendmail][dsn]") {
    for (std::string null_path : {"", "<>"}) {
        Harness h;
        FakeSmtpServer f;
        h.start_relay(f);
        queue_dsn(h, "bob@remote.example", {"", "NOTIFY=SUCCESS"}, &null_path);
        auto sm = h.make();
        CHECK(sm.scan(true).sent == 1);
        CHECK(h.notices().empty());
    }
}

TEST_CASE("RFC3461-6.2 a notice for an Internet sender goes out with MAIL FROM:<>", "[sendmail][dsn]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"550 5.1.1 no such user", "250 ok"};
    h.start_relay(f);
    std::string from = "john@far.example";
    queue_dsn(h, "bob@remote.example", {"", ""}, &from);
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    auto notes = h.notices();
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].hdr.get(hf::RECIPIENTNETADDR) == "john@far.example");
    CHECK(sm.scan(true).sent == 1);                         // the notice itself
    bool null_from = false, to_sender = false;
    for (auto& s : f.sessions()) {
        null_from |= contains(s.commands, "MAIL FROM:<>");
        to_sender |= contains(s.commands, "RCPT TO:<john@far.example>");
    }
    CHECK(null_from);
    CHECK(to_sender);
}

TEST_CASE("SEND-37 review 11: a route failure renders the message only for the notice that needs it", "[sendmail][dsn]") {
    for (bool delay : {false, true}) {
        Harness h;
        h.s.max_delivery_attempts = 3;
        h.dns.mx_answers["remote.example"] = {DnsStatus::TempFail, {}, "timeout"};
        auto n = queue_dsn(h, "bob@remote.example", {"", delay ? "NOTIFY=FAILURE,DELAY" : ""});
        unsigned renders = 0;
        SendMailDeps d{h.store, h.dns, *h.connector,
                       [&](const smb::Message& m) { ++renders; return Harness::render(m); }, h.log};
        SendMail sm(h.s, d);
        for (int i = 0; i < 12 && !(h.hdr(n).attr & smb::attr::DELETE); ++i) (void)sm.scan(true);
        REQUIRE((h.hdr(n).attr & smb::attr::DELETE));
        CHECK(h.hdr(n).delivery_attempts == 3);
        CHECK(renders == (delay ? 2u : 1u));                      // the delay notice, the failure notice
        auto failed = notices_with(h, "Delivery failure: ");
        REQUIRE(failed.size() == 1);
        CHECK(has(failed[0].body, "Subject: Greetings\r\n"));   // the text is still returned
        CHECK(notices_with(h, "Delivery delayed: ").size() == (delay ? 1u : 0u));
    }
}
