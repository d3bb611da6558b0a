// SendMail against a scripted SMTP server on loopback: the dialogue, the
// message state afterwards, retries and bounces.
#include "harness.h"

#include "sendmail/sasl.h"
#include "util/base64.h"

#include "skip.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::test;
namespace hf = smb::hf;

TEST_CASE("SEND-61 the transaction: EHLO, MAIL FROM, RCPT TO, DATA, dot-stuffed text, QUIT", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    auto n = h.queue("bob@remote.example", "Hello\r\n.leading dot\r\n..two\r\nend\r\n");
    auto sm = h.make();
    auto st = sm.scan(true);
    CHECK(st.sent == 1);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 1);
    std::vector<std::string> want = {"EHLO mail.bbs.test", "MAIL FROM:<John.Doe@bbs.test>",
                                     "RCPT TO:<bob@remote.example>", "DATA", "QUIT"};
    CHECK(ss[0].commands == want);
    CHECK(ss[0].data == "Subject: Greetings\r\n\r\nHello\r\n..leading dot\r\n...two\r\nend\r\n");
    (void)n;
}

TEST_CASE("SEND-81 success sets NETMSG_SENT, clears in-transit, keeps a user's sent copy", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    auto kept = h.queue("bob@remote.example");
    auto killed = h.queue("carol@remote.example", "x\r\n", 1, smb::netattr::LOCAL | smb::netattr::KILLSENT);
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 2);
    auto a = h.hdr(kept), b = h.hdr(killed);
    CHECK((a.netattr & smb::netattr::SENT));
    CHECK_FALSE((a.netattr & smb::netattr::INTRANSIT));
    CHECK_FALSE((a.attr & smb::attr::DELETE));
    CHECK((b.netattr & smb::netattr::SENT));
    CHECK((b.attr & smb::attr::DELETE));
    CHECK(a.delivery_attempts == 0);
    CHECK(h.store.queued_outbound(true)->empty());
}

TEST_CASE("SEND-80 success is logged with the message number, size and recipient", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    (void)sm.scan(true);
    CHECK(h.log.has(LogLevel::Info, "SEND Successfully sent message #" + std::to_string(n) + " (" ));
    CHECK(h.log.has("to 'Bob' <bob@remote.example>"));
}

TEST_CASE("SEND-88 SEND-89 SEND-90 a 4xx reply counts an attempt and leaves the message queued", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"451 try later"};
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    auto st = sm.scan(true);
    CHECK(st.failed == 1);
    auto m = h.hdr(n);
    CHECK(m.delivery_attempts == 1);
    CHECK_FALSE((m.netattr & smb::netattr::INTRANSIT));
    CHECK_FALSE((m.attr & smb::attr::DELETE));
    CHECK(h.notices().empty());
    CHECK(h.log.has(LogLevel::Notice, " SEND !Delivery attempt #1 FAILED (127.0.0.1 replied with:\r\n\"451 try later\"\r\n"
                                      "instead of the expected reply:\r\n\"25* ...\") for message #1 from John Doe to "
                                      "bob@remote.example"));
    CHECK(h.store.queued_outbound(false)->size() == 1);
}

TEST_CASE("SEND-62 a 5xx reply to RCPT bounces at once with the reply in the reason", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"550 no such user"};
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    auto m = h.hdr(n);
    CHECK(m.delivery_attempts == 1);
    CHECK((m.attr & smb::attr::DELETE));
    CHECK_FALSE((m.netattr & smb::netattr::INTRANSIT));
    auto notes = h.notices();
    REQUIRE(notes.size() == 1);
    CHECK(human_part(notes[0]).find("\r\nReason:\r\n127.0.0.1 replied with:\r\n\"550 no such user\"\r\ninstead of the "
                                   "expected reply:\r\n\"25* ...\"\r\n") != std::string::npos);
}

TEST_CASE("SEND-93 SEND-94 RFC3464-2 the failure notice: fields, attributes, the SEND-93 lines as its human part", "[sendmail]") {
    Harness h;
    h.s.delete_read_mail = true;
    FakeSmtpServer f;
    f.replies["MAIL"] = {"553 sender rejected"};
    h.start_relay(f);
    auto n = h.queue("bob@remote.example", "Original body\r\n", 7);
    REQUIRE(h.store.change_attr(n, smb::attr::READ | smb::attr::PRIVATE, 0).ok());
    auto sm = h.make();
    (void)sm.scan(true);
    auto notes = h.notices();
    REQUIRE(notes.size() == 1);
    auto& b = notes[0];
    CHECK(b.hdr.get(hf::SUBJECT) == "Delivery failure: Greetings");
    CHECK(b.hdr.get(hf::SENDER) == "Mail Delivery Subsystem");
    CHECK(b.hdr.get(hf::RECIPIENT) == "John Doe");
    CHECK(b.hdr.get(hf::RECIPIENTEXT) == "7");
    CHECK(b.hdr.last(hf::RECIPIENTNETTYPE) == nullptr);
    CHECK(b.hdr.delivery_attempts == 0);
    CHECK((b.hdr.attr & smb::attr::NOREPLY));
    CHECK((b.hdr.attr & smb::attr::KILLREAD));
    CHECK((b.hdr.attr & smb::attr::PRIVATE));
    CHECK_FALSE((b.hdr.attr & smb::attr::READ));
    CHECK_FALSE((b.hdr.attr & smb::attr::DELETE));
    // Ours (issue #15): its own text, a multipart/report; the original's
    // five comment lines are its human part, byte for byte as rendered before.
    CHECK(b.hdr.last(hf::SMB_COMMENT) == nullptr);
    CHECK(human_part(b) == "mail.bbs.test reporting delivery failure of message \r\n"
                           "from John Doe to bob@remote.example\r\n\r\n"
                           "Reason:\r\n127.0.0.1 replied with:\r\n\"553 sender rejected\"\r\ninstead of the expected "
                           "reply:\r\n\"250 ...\"\r\n\r\nOriginal message text follows:\r\n");
    CHECK(b.body.find("Content-Type: message/rfc822\r\n") != std::string::npos);
    CHECK(b.body.find("\r\n\r\nOriginal body\r\n") != std::string::npos);
    CHECK(b.body.find("Action: failed\r\nStatus: 5.0.0\r\nRemote-MTA: dns; 127.0.0.1\r\n"
                      "Diagnostic-Code: smtp; 553 sender rejected\r\n") != std::string::npos);
    CHECK(b.hdr.get(hf::RFC822HEADER).rfind("Content-Type: multipart/report; report-type=delivery-status;", 0) == 0);
    CHECK(b.hdr.get(hf::RFC822REPLYID) == "<65A1B2C3.7@bbs.test>");
    CHECK_FALSE(b.hdr.get(hf::RFC822MSGID).empty());
    CHECK(b.hdr.get(hf::RFC822MSGID) != "<65A1B2C3.7@bbs.test>");
    CHECK(h.log.has(LogLevel::Notice, "!Bouncing message back to John Doe"));
    CHECK(h.log.has(LogLevel::Notice, "!Delivery failure notification (message #"));
}

TEST_CASE("ISSUE13-6 ISSUE13-review SEND-91 SEND-93 a notice that cannot be written now (disk full; base replaced under it) leaves the original queued; the next try bounces it", "[sendmail]") {
    for (ErrorCode code : {ErrorCode::DiskFull, ErrorCode::Stale}) {
        Harness h;
        FakeSmtpServer f;
        f.replies["MAIL"] = {"553 sender rejected"};
        h.start_relay(f);
        auto n = h.queue("bob@remote.example", "Original body\r\n", 7);
        h.store.fail_next_add = true;
        h.store.fail_code = code;
        auto sm = h.make();
        (void)sm.scan(true);
        CHECK(h.notices().empty());
        CHECK_FALSE((h.hdr(n).attr & smb::attr::DELETE));      // not lost: still queued
        CHECK(h.log.has(LogLevel::Error, "!BOUNCE ERROR (simulated failure) adding message header"));
        (void)sm.scan(true);                                   // the store works again
        CHECK(h.notices().size() == 1);
        CHECK((h.hdr(n).attr & smb::attr::DELETE));
    }
}

TEST_CASE("ISSUE13-review SEND-91 SEND-93 a notice that can never be stored (too large, corrupt) does not keep the original queued", "[sendmail]") {
    for (ErrorCode code : {ErrorCode::TooLarge, ErrorCode::Corrupt, ErrorCode::Invalid}) {
        Harness h;
        FakeSmtpServer f;
        f.replies["MAIL"] = {"553 sender rejected"};
        h.start_relay(f);
        auto n = h.queue("bob@remote.example", "Original body\r\n", 7);
        h.store.fail_next_add = true;
        h.store.fail_code = code;
        auto sm = h.make();
        CHECK(sm.scan(true).bounced == 1);
        CHECK(h.notices().empty());
        CHECK((h.hdr(n).attr & smb::attr::DELETE));   // as the original: deleted, the error logged
        CHECK(h.log.has(LogLevel::Error, "!BOUNCE ERROR (simulated failure) adding message header"));
        (void)sm.scan(true);                          // nothing left to send the remote again
        CHECK(f.sessions().size() == 1);
    }
}

TEST_CASE("SEND-93 a notice for relayed mail goes back to the reverse path over the Internet", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"550 unknown"};
    h.start_relay(f);
    NewMessage m;
    m.hdr.netattr = smb::netattr::KILLSENT;
    m.hdr.add(hf::SENDER, "alice@far.example");
    m.hdr.add_u16(hf::SENDERNETTYPE, smb::net::INTERNET);
    m.hdr.add(hf::SENDERNETADDR, "alice@far.example");
    m.hdr.add(hf::SUBJECT, "relayed");
    m.hdr.add(hf::SMTPREVERSEPATH, "<alice@far.example>");
    m.body = "text\r\n";
    RecipientCopy c;
    c.append = {{hf::RECIPIENT, "bob@remote.example"}, {hf::SMTPFORWARDPATH, "<bob@remote.example>"}};
    c.append.push_back({hf::RECIPIENTNETTYPE, std::string{char(smb::net::INTERNET), 0}});
    c.append.push_back({hf::RECIPIENTNETADDR, "bob@remote.example"});
    h.store.add_mail(m, {c}).value();
    auto sm = h.make();
    (void)sm.scan(true);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 1);
    CHECK(contains(ss[0].commands, "MAIL FROM:<alice@far.example>"));
    auto notes = h.notices();
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].hdr.get(hf::RECIPIENT) == "<alice@far.example>");
    CHECK(notes[0].hdr.get_u16(hf::RECIPIENTNETTYPE) == smb::net::INTERNET);
    CHECK(notes[0].hdr.get(hf::RECIPIENTNETADDR) == "<alice@far.example>");
    // The notice is itself queued for SendMail (SEND-95).
    CHECK(h.store.queued_outbound(false)->size() == 1);
}

TEST_CASE("SEND-92 undeliverable notices and no-reply mail are deleted without a notice", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"550 unknown"};
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    REQUIRE(h.store.change_attr(n, smb::attr::NOREPLY, 0).ok());
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    CHECK((h.hdr(n).attr & smb::attr::DELETE));
    CHECK(h.notices().empty());
    CHECK(h.log.has(LogLevel::Notice, "SEND !Deleted undeliverable message from John Doe"));
}

TEST_CASE("SEND-91 reaching MaxDeliveryAttempts gives up and bounces", "[sendmail]") {
    Harness h;
    h.s.max_delivery_attempts = 2;
    h.s.max_backoff_scans = 1;
    FakeSmtpServer f;
    f.replies["DATA"] = {"421 busy"};
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(h.notices().empty());
    CHECK(sm.scan(true).bounced == 1);
    auto m = h.hdr(n);
    CHECK(m.delivery_attempts == 2);
    CHECK((m.attr & smb::attr::DELETE));
    auto notes = h.notices();
    REQUIRE(notes.size() == 1);
    CHECK(human_part(notes[0]).find("after 2 attempts") != std::string::npos);
}

TEST_CASE("SEND-90 ours: temporary failures back off in RescanFrequency units (1, 2, 4 scans)", "[sendmail]") {
    Harness h;
    h.s.max_delivery_attempts = 50;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"450 later"};
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    (void)sm.scan(true);                         // attempt 1 -> wait 1 rescan
    CHECK(h.hdr(n).delivery_attempts == 1);
    (void)sm.scan(false);                        // new-mail scan: not due yet
    CHECK(h.hdr(n).delivery_attempts == 1);
    (void)sm.scan(true);                         // attempt 2 -> wait 2 rescans
    CHECK(h.hdr(n).delivery_attempts == 2);
    (void)sm.scan(true);
    CHECK(h.hdr(n).delivery_attempts == 2);
    (void)sm.scan(true);                         // attempt 3 -> wait 4
    CHECK(h.hdr(n).delivery_attempts == 3);
    for (int i = 0; i < 3; ++i) (void)sm.scan(true);
    CHECK(h.hdr(n).delivery_attempts == 3);
    (void)sm.scan(true);
    CHECK(h.hdr(n).delivery_attempts == 4);
}

TEST_CASE("SEND-26 a destination without @ bounces at once", "[sendmail]") {
    Harness h;
    auto n = h.queue("nobody-at-all");
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    CHECK((h.hdr(n).attr & smb::attr::DELETE));
    CHECK(h.log.has(LogLevel::Warning, "0000 !SEND INVALID destination address: nobody-at-all"));
    auto notes = h.notices();
    REQUIRE(notes.size() == 1);
    std::string human = human_part(notes[0]);
    CHECK(human.find("Original message") != std::string::npos);
    CHECK(human.find("\r\nInvalid destination address: nobody-at-all\r\n") != std::string::npos);
    CHECK(notes[0].body.find("Status: 5.1.3\r\n") != std::string::npos);
}

TEST_CASE("SEND-18 in-transit mail is skipped and logged unless SEND_INTRANSIT", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    auto n = h.queue("bob@remote.example", "x\r\n", 1, smb::netattr::INTRANSIT);
    {
        auto sm = h.make();
        CHECK(sm.scan(true).sent == 0);
        CHECK(h.log.has(LogLevel::Notice, "Message #" + std::to_string(n) + " from 'John Doe' #1 to 'Bob' "
                                          "<bob@remote.example> - in transit"));
        CHECK(f.sessions().empty());
    }
    h.s.options |= mail_opt::SEND_INTRANSIT;
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK((h.hdr(n).netattr & smb::netattr::SENT));
}

TEST_CASE("SEND-19 the message is marked in transit before the SMTP session starts", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["EHLO"] = {"<close>"};
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    // A renderer that looks at the stored state while the message is out.
    uint16_t seen = 0;
    SendMailDeps d{h.store, h.dns, *h.connector,
                   [&](const smb::Message& m) { seen = h.hdr(m.hdr.number).netattr; return std::string("x\r\n"); },
                   h.log};
    SendMail sm(h.s, d);
    (void)sm.scan(true);
    CHECK((seen & smb::netattr::INTRANSIT));
    CHECK(h.log.has(LogLevel::Info, "0000 SEND Message #" + std::to_string(n) + " (1 of 1) from 'John Doe' #1 to"));
}

TEST_CASE("SEND-17 FidoNet and QWK mail in the mail base are left alone", "[sendmail]") {
    Harness h;
    NewMessage m;
    m.hdr.add(hf::SENDER, "John Doe");
    m.hdr.add(hf::SENDEREXT, "1");
    RecipientCopy fido, qwk;
    fido.append = {{hf::RECIPIENT, "Sysop"}, {hf::RECIPIENTNETTYPE, std::string{char(smb::net::FIDO), 0}},
                   {hf::RECIPIENTNETADDR, "1:2/3"}};
    qwk.append = {{hf::RECIPIENT, "Sysop"}, {hf::RECIPIENTNETTYPE, std::string{char(smb::net::QWK), 0}},
                  {hf::RECIPIENTNETADDR, "VERT"}};
    auto nums = h.store.add_mail(m, {fido, qwk}).value();
    auto sm = h.make();
    auto st = sm.scan(true);
    CHECK(st.sent + st.failed + st.bounced == 0);
    for (auto n : nums) {
        CHECK(h.hdr(n).netattr == 0);
        CHECK(h.hdr(n).delivery_attempts == 0);
    }
}

TEST_CASE("SEND-48 a refused EHLO falls back to HELO", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["EHLO"] = {"502 not implemented"};
    h.start_relay(f);
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(ss[0].commands[0] == "EHLO mail.bbs.test");
    CHECK(ss[0].commands[1] == "HELO mail.bbs.test");
}

TEST_CASE("SEND-44 a greeting other than 220 fails the host and retries later", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.greeting = "554 go away";
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(h.hdr(n).delivery_attempts == 1);
    CHECK_FALSE((h.hdr(n).attr & smb::attr::DELETE));
    CHECK(h.log.has(LogLevel::Info, "replied with: \"554 go away\" instead of the expected reply: \"220 ...\""));
}

TEST_CASE("SEND-43 SEND-46 a refused connection is a temporary failure with the error code", "[sendmail]") {
    Harness h;
    uint16_t dead_port;
    {
        FakeSmtpServer gone;   // bound then closed: nobody listens there now
        dead_port = gone.port();
    }
    h.s.options |= mail_opt::RELAY_TX;
    h.s.relay_server = "127.0.0.1";
    h.s.relay_port = dead_port;
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(h.hdr(n).delivery_attempts == 1);
    CHECK(h.log.has(LogLevel::Info, "SEND !ERROR 111 connecting to SMTP server: 127.0.0.1"));
}

TEST_CASE("SEND-42 within one scan a server that refused is not contacted again", "[sendmail]") {
    Harness h;
    uint16_t dead_port;
    {
        FakeSmtpServer gone;
        dead_port = gone.port();
    }
    // Two destinations (by name) on one address and port; one worker, so the
    // second certainly comes after the first has failed.
    h.s.delivery_workers = 1;
    h.s.allow_loopback_hosts = true;   // explicit routes to this host, for the test
    h.dns.hosts["deadhost.test"] = "127.0.0.1";
    h.queue("bob@deadhost.test:" + std::to_string(dead_port));
    h.queue("carol@127.0.0.1:" + std::to_string(dead_port));
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 2);
    CHECK(h.log.has(LogLevel::Info, "SEND skipping failed SMTP server: Error 111 connecting to port " +
                                        std::to_string(dead_port) + " on 127.0.0.1 [127.0.0.1]"));
}

TEST_CASE("SEND-27 mail for a local domain goes to our own SMTP port without AUTH", "[sendmail]") {
    Harness h;
    FakeSmtpServer relay, self;
    relay.start();
    self.start();
    h.relay_to(relay);
    h.s.options |= mail_opt::RELAY_AUTH_PLAIN;
    h.s.relay_auth_without_tls = true;   // a plain-text test relay (SEC-6 opt-in)
    h.s.smtp_port = self.port();
    h.queue("sysop@BBS.test");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(relay.sessions().empty());
    auto ss = self.sessions();
    REQUIRE(ss.size() == 1);
    for (auto& c : ss[0].commands) CHECK(c.rfind("AUTH", 0) != 0);
}

TEST_CASE("SEND-29 user@host:port is delivered straight to that host and port", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.start();
    h.s.allow_loopback_hosts = true;   // the fake server listens on this host
    h.dns.hosts["direct.example"] = "127.0.0.1";
    h.queue("bob@direct.example:" + std::to_string(f.port()));
    auto ss = h.scan_one_session(f);
    CHECK(contains(ss[0].commands, "RCPT TO:<bob@direct.example>"));
}

TEST_CASE("SEND-30 SEND-45 MX hosts are tried in preference order, the next when one is down", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.start();
    h.s.allow_loopback_hosts = true;
    h.s.mx_port = f.port();
    h.dns.mx_answers["remote.example"] = {DnsStatus::Ok, {{10, "down.remote.example"}, {20, "up.remote.example"}}, {}};
    h.dns.hosts["up.remote.example"] = "127.0.0.1";   // down.* does not resolve
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK((h.hdr(n).netattr & smb::netattr::SENT));
    CHECK(h.log.has(LogLevel::Warning, "!Failure resolving hostname: 'down.remote.example'"));
}

TEST_CASE("SEND-41 an MX host on a loop-back address is not contacted", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.start();
    h.s.mx_port = f.port();
    h.dns.mx_answers["remote.example"] = {DnsStatus::Ok, {{10, "mx.remote.example"}}, {}};
    h.dns.hosts["mx.remote.example"] = "127.0.0.1";
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(f.sessions().empty());
    CHECK(h.hdr(n).delivery_attempts == 1);
    CHECK(h.log.has(LogLevel::Info, "SEND Bad IP address (127.0.0.1) for MX server: mx.remote.example"));
}

TEST_CASE("SEND-38 ours: an NXDOMAIN destination bounces at once", "[sendmail]") {
    Harness h;
    auto n = h.queue("bob@nowhere.example");
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    CHECK(h.hdr(n).delivery_attempts == 1);
    CHECK((h.hdr(n).attr & smb::attr::DELETE));
    CHECK(h.notices().size() == 1);
}

TEST_CASE("SEND-37 a DNS failure is temporary: an attempt is counted, no bounce", "[sendmail]") {
    Harness h;
    h.dns.mx_answers["remote.example"] = {DnsStatus::TempFail, {}, "timeout"};
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(h.hdr(n).delivery_attempts == 1);
    CHECK(h.notices().empty());
    CHECK(h.log.has(LogLevel::Warning, "0000 !SEND ERROR -1 obtaining MX records for remote.example from "));
    CHECK(h.log.has(LogLevel::Notice, "!Delivery attempt #1 FAILED (Error -1 obtaining MX record for remote.example)"));
}

TEST_CASE("SEND-36 a domain without MX records is contacted by its own address", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.start();
    h.implicit_mx_to(f, "plain.example");
    h.queue("bob@plain.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(f.sessions().size() == 1);
}

TEST_CASE("SEND-50 a refused STARTTLS continues in plain text without a new EHLO", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = {"250-fake.test", "250-STARTTLS", "250 HELP"};
    f.replies["STARTTLS"] = {"454 TLS not available"};
    h.start_relay(f);
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    std::vector<std::string> want = {"EHLO mail.bbs.test", "STARTTLS", "MAIL FROM:<John.Doe@bbs.test>",
                                     "RCPT TO:<bob@remote.example>", "DATA", "QUIT"};
    CHECK(ss[0].commands == want);
}

TEST_CASE("SEND-52 a failed TLS handshake starts over once in plain text", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;   // no certificate: the handshake breaks off
    f.ehlo = {"250-fake.test", "250 STARTTLS"};
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 2);
    CHECK(contains(ss[0].commands, "STARTTLS"));
    CHECK_FALSE(contains(ss[1].commands, "STARTTLS"));
    CHECK(contains(ss[1].commands, "RCPT TO:<bob@remote.example>"));
    CHECK(h.hdr(n).delivery_attempts == 0);
}

TEST_CASE("SEND-49 SEND-51 STARTTLS is used when offered, then EHLO again over TLS", "[sendmail]") {
    TempDir tmp;
    std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=fake.test -days 1 -keyout " + tmp.path +
                      "k.pem -out " + tmp.path + "c.pem >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) SBBS_SKIP("the openssl command is not available");
    Harness h;
    FakeSmtpServer f;
    f.ehlo = {"250-fake.test", "250-STARTTLS", "250 HELP"};
    f.cert_file = tmp.path + "c.pem";
    f.key_file = tmp.path + "k.pem";
    h.start_relay(f);
    h.s.relay_tls_verify = false;   // a self-signed test relay (SEC-6 relax key)
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(ss[0].tls);
    std::vector<std::string> want = {"EHLO mail.bbs.test", "STARTTLS", "EHLO mail.bbs.test",
                                     "MAIL FROM:<John.Doe@bbs.test>", "RCPT TO:<bob@remote.example>", "DATA", "QUIT"};
    CHECK(ss[0].commands == want);
    CHECK(h.log.has(LogLevel::Info, "SEND TLS Session started successfully"));
    CHECK(h.log.has("SEND/TLS"));
}

TEST_CASE("SEND-55 AUTH PLAIN to the relay", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.s.options |= mail_opt::RELAY_AUTH_PLAIN;
    h.s.relay_auth_without_tls = true;   // a plain-text test relay (SEC-6 opt-in)
    h.s.relay_username = "relayuser";
    h.s.relay_password = "s3cret";
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(ss[0].commands[1] == "AUTH PLAIN " + base64_encode(std::string("relayuser\0relayuser\0s3cret", 26)));
    CHECK(ss[0].commands[2] == "MAIL FROM:<John.Doe@bbs.test>");
}

TEST_CASE("SEND-56 AUTH LOGIN to the relay", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["AUTH"] = {"334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6", "235 ok"};
    h.start_relay(f);
    h.s.options |= mail_opt::RELAY_AUTH_LOGIN;
    h.s.relay_auth_without_tls = true;   // a plain-text test relay (SEC-6 opt-in)
    h.s.relay_username = "relayuser";
    h.s.relay_password = "s3cret";
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    REQUIRE(ss[0].commands.size() >= 4);
    CHECK(ss[0].commands[1] == "AUTH LOGIN");
    CHECK(ss[0].commands[2] == "cmVsYXl1c2Vy");
    CHECK(ss[0].commands[3] == "czNjcmV0");
}

TEST_CASE("SEND-57 AUTH CRAM-MD5 to the relay (RFC 2195 example)", "[sendmail]") {
    CHECK(sasl::cram_md5_response("tim", "tanstaaftanstaaf",
                                  "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+") ==
          "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
    Harness h;
    FakeSmtpServer f;
    f.replies["AUTH"] = {"334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", "235 ok"};
    h.start_relay(f);
    h.s.options |= mail_opt::RELAY_AUTH_CRAM_MD5;
    h.s.relay_auth_without_tls = true;   // a plain-text test relay (SEC-6 opt-in)
    h.s.relay_username = "tim";
    h.s.relay_password = "tanstaaftanstaaf";
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(ss[0].commands[1] == "AUTH CRAM-MD5");
    CHECK(ss[0].commands[2] == "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
}

TEST_CASE("SEND-59 a rejected AUTH bounces (5xx at once) and always clears in-transit", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["AUTH"] = {"535 bad credentials"};
    h.start_relay(f);
    h.s.options |= mail_opt::RELAY_AUTH_PLAIN;
    h.s.relay_auth_without_tls = true;   // a plain-text test relay (SEC-6 opt-in)
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    auto m = h.hdr(n);
    CHECK_FALSE((m.netattr & smb::netattr::INTRANSIT));
    CHECK((m.attr & smb::attr::DELETE));
    CHECK(f.sessions()[0].commands.size() == 2);   // EHLO, AUTH: nothing more
}

TEST_CASE("SEND-60 multi-line replies are read to their last line and logged with DEBUG_RX_RSP", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["MAIL"] = {"250-first\r\n250-second\r\n250 OK"};
    h.start_relay(f);
    h.s.options |= mail_opt::DEBUG_RX_RSP;
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(h.log.has(LogLevel::Debug, "SEND RX: 250-second"));
}

TEST_CASE("SEND-65 DEBUG_TX logs every line sent, credentials masked", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.s.options |= mail_opt::DEBUG_TX | mail_opt::RELAY_AUTH_PLAIN;
    h.s.relay_auth_without_tls = true;   // a plain-text test relay (SEC-6 opt-in)
    h.s.relay_username = "u";
    h.s.relay_password = "p";
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(h.log.has(LogLevel::Debug, "SEND TX: MAIL FROM:<John.Doe@bbs.test>"));
    CHECK(h.log.has(LogLevel::Debug, "SEND TX: Hello"));
    CHECK_FALSE(h.log.has(sasl::plain_response("u", "p")));
}

TEST_CASE("SEND-61 a dropped connection after the text is a temporary failure", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["."] = {"<close>"};
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(h.hdr(n).delivery_attempts == 1);
    CHECK_FALSE((h.hdr(n).netattr & (smb::netattr::SENT | smb::netattr::INTRANSIT)));
}

TEST_CASE("SEND-87 a successful recipient is appended to dnsbl_exempt.cfg once", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.queue("bob@remote.example");
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 2);
    std::string cfg = h.ctrl.read("dnsbl_exempt.cfg");
    CHECK(cfg.find("\n;SEND Auto-exempting from 'John Doe' #1 on ") == 0);
    CHECK(cfg.find("\n<bob@remote.example>\n") != std::string::npos);
    CHECK(cfg.find("<bob@remote.example>") == cfg.rfind("<bob@remote.example>"));   // SEND-86
    CHECK(h.log.has(LogLevel::Info, "0000 SEND Auto-exempting: <bob@remote.example>"));
}

TEST_CASE("SEND-85 NO_AUTO_EXEMPT leaves dnsbl_exempt.cfg alone", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.s.options |= mail_opt::NO_AUTO_EXEMPT;
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK_FALSE(std::filesystem::exists(h.ctrl.path + "dnsbl_exempt.cfg"));
}

TEST_CASE("SEND-21 the scan stops while the mail base is locked for maintenance", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.s.mail_lock_path = h.ctrl.path + "mail.lock";
    std::ofstream(h.s.mail_lock_path) << "";
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    (void)sm.scan(true);
    CHECK(f.sessions().empty());
    CHECK(h.hdr(n).netattr == smb::netattr::LOCAL);
}

TEST_CASE("SEND-98 ours: in-transit mail left by a crashed sender is taken over after two rescans", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    auto n = h.queue("bob@remote.example", "x\r\n", 1, smb::netattr::INTRANSIT);
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 0);
    CHECK(sm.scan(false).sent == 0);
    CHECK(sm.scan(true).sent == 0);
    CHECK(sm.scan(true).sent == 1);
    CHECK((h.hdr(n).netattr & smb::netattr::SENT));
    CHECK_FALSE((h.hdr(n).netattr & smb::netattr::INTRANSIT));
    CHECK(h.log.has(LogLevel::Notice, "has been in transit for too long; taking it over"));
}

TEST_CASE("SEND-36 ours: a null MX (RFC 7505) bounces at once instead of trying the domain", "[sendmail]") {
    Harness h;
    h.dns.mx_answers["nomail.example"] = {DnsStatus::Ok, {{0, "."}}, {}};
    h.dns.hosts["nomail.example"] = "127.0.0.1";
    auto n = h.queue("bob@nomail.example");
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    CHECK((h.hdr(n).attr & smb::attr::DELETE));
}
