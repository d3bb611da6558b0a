// Smaller rules of the SMTP session and the scan: recipient copies sharing
// a transaction, no ESMTP parameters, no QUIT after failures, log lines.
#include "harness.h"

#include "memory_user_directory.h"
#include "sendmail/auto_exempt.h"

#include <catch.hpp>

#include <algorithm>

using namespace sbbs;
using namespace sbbs::test;
namespace hf = smb::hf;

TEST_CASE("SEND-23 ours: copies for several recipients at one destination share one transaction", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    NewMessage m;
    m.hdr.netattr = smb::netattr::LOCAL;
    m.hdr.add(hf::SENDER, "John Doe");
    m.hdr.add(hf::SENDEREXT, "1");
    m.hdr.add(hf::SUBJECT, "to two");
    m.body = "shared\r\n";
    std::vector<RecipientCopy> copies(2);
    for (int i = 0; i < 2; ++i) {
        std::string addr = i ? "carol@remote.example" : "bob@remote.example";
        copies[size_t(i)].append = {{hf::RECIPIENT, addr},
                                    {hf::RECIPIENTNETTYPE, std::string{char(smb::net::INTERNET), 0}},
                                    {hf::RECIPIENTNETADDR, addr}};
    }
    auto nums = h.store.add_mail(m, copies).value();
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 2);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 1);
    std::vector<std::string> want = {"EHLO mail.bbs.test", "MAIL FROM:<John.Doe@bbs.test>",
                                     "RCPT TO:<bob@remote.example>", "RCPT TO:<carol@remote.example>", "DATA",
                                     "QUIT"};
    CHECK(ss[0].commands == want);
    CHECK(ss[0].data == "Subject: to two\r\n\r\nshared\r\n");   // the text once
    for (auto n : nums) {   // each header still kept on its own
        CHECK((h.hdr(n).netattr & smb::netattr::SENT));
        CHECK_FALSE((h.hdr(n).netattr & smb::netattr::INTRANSIT));
        CHECK(h.log.has(LogLevel::Info, "SEND Successfully sent message #" + std::to_string(n)));
    }
}

TEST_CASE("SEND-53 no ESMTP parameters are sent even when offered", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = {"250-fake.test", "250-SIZE 1000000", "250-8BITMIME", "250-PIPELINING", "250-SMTPUTF8", "250 DSN"};
    h.start_relay(f);
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(contains(ss[0].commands, "MAIL FROM:<John.Doe@bbs.test>"));
    CHECK(contains(ss[0].commands, "RCPT TO:<bob@remote.example>"));
}

TEST_CASE("SEND-63 after a failure the connection is closed without QUIT or RSET", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["MAIL"] = {"451 later"};
    h.start_relay(f);
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 1);
    CHECK(ss[0].commands.back() == "MAIL FROM:<John.Doe@bbs.test>");
}

TEST_CASE("SEND-83 after the final 250 QUIT is sent", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(f.sessions().at(0).commands.back() == "QUIT");
}

TEST_CASE("SEND-64 DATA is framed by its two DEBUG lines", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.queue("bob@remote.example", "one\r\ntwo\r\n");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    std::string text = Harness::render(h.store.read(1, true).value());
    CHECK(h.log.has(LogLevel::Debug, "SEND sending message text (" + std::to_string(text.size()) + " bytes) begin"));
    CHECK(h.log.has(LogLevel::Debug, "SEND send of message text (" + std::to_string(text.size()) +
                                         " bytes, 4 lines) complete, waiting for acknowledgment (250)"));
}

TEST_CASE("SEND-40 connecting is logged with host, port and address", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(h.log.has(LogLevel::Debug, "SEND resolving SMTP hostname: '127.0.0.1'"));
    CHECK(h.log.has(LogLevel::Info, "SEND connecting to port " + std::to_string(f.port()) + " on 127.0.0.1 [127.0.0.1]"));
    CHECK(h.log.has(LogLevel::Debug, "SEND connected to 127.0.0.1"));
}

TEST_CASE("SEND-39 the socket is bound to OutboundInterface", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.s.outbound_interface = "127.0.0.3";
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    REQUIRE(f.sessions().size() == 1);
    CHECK(f.sessions()[0].peer_ip == "127.0.0.3");
}

TEST_CASE("SEND-28 with RELAY_TX only the relay is contacted, whatever the domain's MX", "[sendmail]") {
    Harness h;
    FakeSmtpServer relay, mx;
    relay.start();
    mx.start();
    h.relay_to(relay);
    h.s.allow_loopback_hosts = true;
    h.s.mx_port = mx.port();
    h.dns.mx_answers["remote.example"] = {DnsStatus::Ok, {{10, "mx.remote.example"}}, {}};
    h.dns.hosts["mx.remote.example"] = "127.0.0.1";
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(relay.sessions().size() == 1);
    CHECK(mx.sessions().empty());
}

TEST_CASE("SEND-31 address literals are used as they are", "[sendmail]") {
    MapResolver none;
    CHECK(resolve_host("[127.0.0.9]", none, false) == "127.0.0.9");
    CHECK(resolve_host("127.0.0.9", none, false) == "127.0.0.9");
    CHECK(resolve_host("unknown.example", none, false).empty());
}

TEST_CASE("SEND-54 SEND-58 ours: with several RELAY_AUTH options the strongest one is used", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["AUTH"] = {"334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", "235 ok"};
    h.start_relay(f);
    h.s.options |= mail_opt::RELAY_AUTH_PLAIN | mail_opt::RELAY_AUTH_LOGIN | mail_opt::RELAY_AUTH_CRAM_MD5;
    h.s.relay_auth_without_tls = true;   // a plain-text test relay (SEC-6 opt-in)
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(f.sessions().at(0).commands.at(1) == "AUTH CRAM-MD5");
}

TEST_CASE("SEND-48 without HELO fall-back when AUTH to the relay is required", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["EHLO"] = {"554 no"};
    h.start_relay(f);
    h.s.options |= mail_opt::RELAY_AUTH_LOGIN;
    h.s.relay_auth_without_tls = true;   // a plain-text test relay (SEC-6 opt-in)
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    CHECK(f.sessions().at(0).commands.size() == 1);
    CHECK((h.hdr(n).attr & smb::attr::DELETE));
}

TEST_CASE("SEND-101 relayed mail uses the stored forward path and is deleted after sending", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    NewMessage m;
    m.hdr.netattr = smb::netattr::KILLSENT;
    m.hdr.add(hf::SENDER, "alice@far.example");
    m.hdr.add_u16(hf::SENDERNETTYPE, smb::net::INTERNET);
    m.hdr.add(hf::SMTPREVERSEPATH, "<alice@far.example>");
    m.body = "relayed\r\n";
    RecipientCopy c;
    c.append = {{hf::RECIPIENT, "Bob"}, {hf::SMTPFORWARDPATH, "<Bob.Smith@remote.example>"},
                {hf::RECIPIENTNETTYPE, std::string{char(smb::net::INTERNET), 0}},
                {hf::RECIPIENTNETADDR, "bob@remote.example"}};
    auto n = h.store.add_mail(m, {c}).value().front();
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK(contains(f.sessions().at(0).commands, "RCPT TO:<Bob.Smith@remote.example>"));
    CHECK(contains(f.sessions().at(0).commands, "MAIL FROM:<alice@far.example>"));
    CHECK((h.hdr(n).attr & smb::attr::DELETE));
    CHECK(h.store.mail.count(n) == 1);   // SEND-84: flagged, never purged here
}

TEST_CASE("SEND-16 deleted, sent and address-less mail is skipped silently", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    auto sent = h.queue("bob@remote.example", "x\r\n", 1, smb::netattr::SENT);
    auto del = h.queue("bob@remote.example");
    REQUIRE(h.store.change_attr(del, smb::attr::DELETE, 0).ok());
    auto noaddr = h.queue("");
    auto sm = h.make();
    auto st = sm.scan(true);
    CHECK(st.sent + st.failed + st.bounced == 0);
    CHECK(f.sessions().empty());
    CHECK(h.hdr(sent).delivery_attempts == 0);
    CHECK(h.hdr(noaddr).delivery_attempts == 0);
}

TEST_CASE("SEND-15 candidates are taken in ascending message number", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.queue("first@remote.example");
    h.queue("second@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 2);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 1);   // ours: one destination, one transaction
    auto& c = ss[0].commands;
    auto first = std::find(c.begin(), c.end(), "RCPT TO:<first@remote.example>");
    auto second = std::find(c.begin(), c.end(), "RCPT TO:<second@remote.example>");
    REQUIRE(first != c.end());
    REQUIRE(second != c.end());
    CHECK(first < second);
    CHECK(h.log.has(LogLevel::Info, "0000 SEND Message #2 (2 of 2) from 'John Doe' #1 to"));
}

TEST_CASE("SEND-99 every retry opens a new connection and sends everything again", "[sendmail]") {
    Harness h;
    h.s.max_backoff_scans = 1;
    FakeSmtpServer f;
    f.replies["."] = {"451 try again", "250 ok"};
    h.start_relay(f);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(sm.scan(true).sent == 1);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 2);
    CHECK(ss[0].data == ss[1].data);
    CHECK(ss[1].commands.front() == "EHLO mail.bbs.test");
    CHECK(h.hdr(n).delivery_attempts == 1);
}

TEST_CASE("SEND-22 SEND-97 unreadable text clears in-transit without counting an attempt", "[sendmail]") {
    struct NoTextStore : MemoryMailStore {
        Result<smb::Message> read(uint32_t number, bool with_text) override {
            if (with_text) return make_error("bad data", ErrorCode::Corrupt);
            return MemoryMailStore::read(number, false);
        }
    };
    Harness h;
    NoTextStore store;
    NewMessage m;
    m.hdr.add(hf::SENDER, "John Doe");
    m.hdr.add(hf::SENDEREXT, "1");
    RecipientCopy c;
    c.append = {{hf::RECIPIENT, "Bob"}, {hf::RECIPIENTNETTYPE, std::string{char(smb::net::INTERNET), 0}},
                {hf::RECIPIENTNETADDR, "bob@remote.example"}};
    auto n = store.add_mail(m, {c}).value().front();
    SendMail sm(h.s, SendMailDeps{store, h.dns, *h.connector, Harness::render, h.log});
    CHECK(sm.scan(true).skipped == 1);
    auto hdr = store.read(n, false).value().hdr;
    CHECK(hdr.netattr == 0);
    CHECK(hdr.delivery_attempts == 0);
    CHECK(h.log.has(LogLevel::Error, "0000 !SEND ERROR (bad data) retrieving message text"));
}

TEST_CASE("SEND-86 an address that is a user's forwarding address is not exempted", "[sendmail]") {
    TempDir dir;
    CaptureLogger log;
    MemoryUserDirectory users;
    users.add(5, "Fwd User", "pw").netmail = "fwd@remote.example";
    CHECK_FALSE(auto_exempt(dir.path + "x.cfg", "<fwd@remote.example>", "'a' #1", &users, log, 0));
    CHECK_FALSE(std::filesystem::exists(dir.path + "x.cfg"));
    std::ofstream(dir.path + "x.cfg") << "; list\n<listed@remote.example>\n";
    CHECK_FALSE(auto_exempt(dir.path + "x.cfg", "<LISTED@remote.example>", "'a' #1", &users, log, 0));
    CHECK(auto_exempt(dir.path + "x.cfg", "<new@remote.example>", "'a' #1", &users, log, 0));
    CHECK(dir.read("x.cfg").find("\n<new@remote.example>\n") != std::string::npos);
}

TEST_CASE("SEND-3 the option bits SendMail reads", "[sendmail]") {
    CHECK(mail_opt::DEBUG_TX == 0x8);
    CHECK(mail_opt::DEBUG_RX_RSP == 0x10);
    CHECK(mail_opt::RELAY_TX == 0x20);
    CHECK(mail_opt::USE_TCP_DNS == 0x1000);
    CHECK(mail_opt::NO_SENDMAIL == 0x2000);
    CHECK(mail_opt::SEND_INTRANSIT == 0x400000);
    CHECK(mail_opt::RELAY_AUTH_PLAIN == 0x800000);
    CHECK(mail_opt::RELAY_AUTH_LOGIN == 0x1000000);
    CHECK(mail_opt::RELAY_AUTH_CRAM_MD5 == 0x2000000);
    CHECK(mail_opt::NO_AUTO_EXEMPT == 0x4000000);
}

TEST_CASE("SEND-82 attachment files are deleted after delivery and their directory removed", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    h.start_relay(f);
    h.s.data_dir = h.ctrl.path;
    std::filesystem::create_directories(h.ctrl.path + "file/0003.out");
    std::ofstream(h.ctrl.path + "file/0003.out/report.txt") << "data";
    std::ofstream(h.ctrl.path + "file/0003.out/\"odd name\".bin") << "data";
    auto n = h.queue("bob@remote.example", "see attached\r\n", 3);
    auto hdr = h.hdr(n);
    hdr.auxattr |= smb::auxattr::FILEATTACH;
    REQUIRE(h.store.update_header(hdr).ok());
    for (auto& fld : h.store.mail[n].hdr.fields)
        if (fld.type == hf::SUBJECT) fld.data = "report.txt ../../etc/passwd";
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK_FALSE(std::filesystem::exists(h.ctrl.path + "file/0003.out/report.txt"));
    CHECK(std::filesystem::exists(h.ctrl.path + "file/0003.out/\"odd name\".bin"));   // not named: kept
}

TEST_CASE("SEND-91 giving up deletes the attachments too", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"550 unknown"};
    h.start_relay(f);
    h.s.data_dir = h.ctrl.path;
    std::filesystem::create_directories(h.ctrl.path + "file/0001.out");
    std::ofstream(h.ctrl.path + "file/0001.out/a.zip") << "zip";
    auto n = h.queue("bob@remote.example");
    auto hdr = h.hdr(n);
    hdr.auxattr |= smb::auxattr::FILEATTACH;
    REQUIRE(h.store.update_header(hdr).ok());
    for (auto& fld : h.store.mail[n].hdr.fields)
        if (fld.type == hf::SUBJECT) fld.data = "a.zip";
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    CHECK_FALSE(std::filesystem::exists(h.ctrl.path + "file/0001.out"));   // emptied, removed
}
