// MAIL FROM details, DATA reception, end-of-data checks and storage.
#include "harness.h"

#include "smtp/sasl.h"

#include <catch.hpp>

#include <filesystem>
#include <unistd.h>

using namespace smtptest;

static std::string auth_mary() { return "AUTH PLAIN " + base64_encode(std::string("\0Mary\0maryPW", 12)); }
static std::string auth_mary_line() { return auth_mary(); }
static std::string auth_sysop() { return "AUTH PLAIN " + base64_encode(std::string("\0Sysop\0secret", 13)); }

static std::vector<const smb::Message*> all_mail(Harness& h) {
    std::vector<const smb::Message*> v;
    for (auto& [n, m] : h.store.mail) v.push_back(&m);
    return v;
}

static std::vector<int> data_codes(Harness& h, std::vector<std::string> msg, std::string from = "<a@remote.org>") {
    return codes(h.run(mail_script(from, {"<mary@example.com>"}, msg)));
}

TEST_CASE("SMTP-92 SMTP-101 a MAIL in mid-transaction starts a new one", "[smtp][data]") {
    Harness h;
    auto r = h.run({"EHLO x", "MAIL FROM:<a@b.c>", "RCPT TO:<mary@example.com>", "MAIL FROM:<d@e.f>", "DATA"});
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 250, 503});
}

TEST_CASE("SMTP-95 reverse path: up to the first space; <> and empty accepted; stored raw", "[smtp][data]") {
    Harness h;
    h.run(mail_script("<a@remote.org> BODY=8BITMIME AUTH=<>", {"<mary@example.com>"}));
    REQUIRE(h.store.mail.size() == 1);
    CHECK(h.store.mail.begin()->second.hdr.get(smb::hf::SMTPREVERSEPATH) == "<a@remote.org>");
    Harness e;
    auto r = e.run({"EHLO x", "MAIL FROM:<>", "MAIL FROM:", "MAIL FROM: no-syntax-check"});
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 250});
}

TEST_CASE("SMTP-96 a SIZE= over MaxMsgSize is refused at MAIL", "[smtp][data]") {
    Harness h;
    auto r = h.run({"EHLO x", "MAIL FROM:<a@b.c> SIZE=1001", "MAIL FROM:<a@b.c> SIZE=1000", "MAIL FROM:<a@b.c> SIZE=x"});
    CHECK(r[r.size() - 3] == "552 5.3.4 Message size (1001) exceeds maximum: 1000 bytes");
    CHECK(r[r.size() - 2] == "250 2.1.0 OK");
    CHECK(r.back().substr(0, 3) == "501");
}

TEST_CASE("SMTP-97 SMTP-99 ISSUE13-3 submission: the reverse path must belong to the user (addresses in angle brackets)", "[smtp][data]") {
    auto mail_reply = [](const std::string& from, uint32_t opts = 0, char rest = 0) {
        Harness h;
        h.listener = Listener::Submission;
        h.cfg->mail.options |= opts;
        if (rest) h.users.users[3].rest |= User::letter(rest);
        h.lists.aliases["boss"] = "Mary";
        auto r = h.run({"EHLO x", auth_mary(), "MAIL FROM:" + from});
        return r.back();
    };
    CHECK(mail_reply("<mary@example.com>") == "250 2.1.0 OK");
    CHECK(mail_reply("<Mary@BBS.example.com>") == "250 2.1.0 OK");
    CHECK(mail_reply("<boss@example.com>") == "250 2.1.0 OK");
    CHECK(mail_reply("<>") == "250 2.1.0 OK");
    CHECK(mail_reply("<sysop@example.com>") ==
          "550 5.7.1 Sender address <sysop@example.com> not authorized for this account, try <Mary@example.com>");
    CHECK(mail_reply("<mary>").substr(0, 3) == "550");
    CHECK(mail_reply("<mary@gmail.com>").substr(0, 3) == "550");
    CHECK(mail_reply("<mary@gmail.com>", mail_opt::ALLOW_RELAY) == "250 2.1.0 OK");
    CHECK(mail_reply("<mary@gmail.com>", mail_opt::ALLOW_RELAY, 'M').substr(0, 3) == "550");
}

TEST_CASE("SMTP-98 port 25 does not check an authenticated user's sender address", "[smtp][data]") {
    Harness h;
    auto r = h.run({"EHLO x", auth_mary(), "MAIL FROM:<sysop@example.com>"});
    CHECK(r.back() == "250 2.1.0 OK");
}

TEST_CASE("SMTP-160 DATA after only rejected recipients is a bad sequence", "[smtp][data]") {
    Harness h;
    auto r = h.run({"EHLO x", "MAIL FROM:<a@b.c>", "RCPT TO:<nobody@example.com>", "DATA"});
    CHECK(r.back() == "503 5.5.1 Bad sequence of commands");
}

TEST_CASE("SMTP-162 SMTP-174 SMTP-195 354, end-of-message log, 250", "[smtp][data]") {
    Harness h;
    auto r = h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(has_line(r, "354 send the mail data, end with <CRLF>.<CRLF>"));
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
    CHECK(h.log.has("Receiving mail message from <a@remote.org> to mary@example.com"));
    CHECK(h.log.has("End of message (body: 1 lines, 13 bytes, header: 3 lines, "));
    CHECK(h.store.mail.size() == 1);
}

TEST_CASE("SMTP-164 SMTP-169 SMTP-170 the body: final dot, transparency, CRLF lines", "[smtp][data]") {
    Harness h;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"},
                      {"From: a@remote.org", "", "..leading dot", "line two  ", "", ". "}));
    REQUIRE(h.store.mail.size() == 1);
    CHECK(h.store.mail.begin()->second.body == ".leading dot\r\nline two  \r\n\r\n");
}

TEST_CASE("SMTP-165 header lines lose bare CRs (ours: and are unstuffed too)", "[smtp][data]") {
    Harness h;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"},
                      {"From: a@remote.org", "Subject: a\rb", "..X-Dot: y", "", "body", "."}));
    REQUIRE(h.store.mail.size() == 1);
    auto& hdr = h.store.mail.begin()->second.hdr;
    CHECK(hdr.get(smb::hf::SUBJECT) == "ab");
    bool found = false;
    for (auto& f : hdr.fields) found |= f.data == ".X-Dot: y";
    CHECK(found);
}

TEST_CASE("SMTP-166 SMTP-170 header or body lines over 998 characters close the session", "[smtp][data]") {
    Harness h;
    auto r = h.run(mail_script("<a@remote.org>", {"<mary@example.com>"},
                               {"X-Long: " + std::string(995, 'x'), "", "b", "."}));
    CHECK(has_line(r, "500 5.5.2 Line too long (header)"));
    CHECK(h.store.mail.empty());
    Harness b;
    auto rb = b.run(mail_script("<a@remote.org>", {"<mary@example.com>"},
                                {"From: a@remote.org", "", std::string(999, 'y'), "."}));
    CHECK(rb.back() == "500 5.5.2 Line too long (body)");
    Harness ok;                                          // 998 after unstuffing is fine
    ok.cfg->mail.max_msg_size = 0;
    ok.run(mail_script("<a@remote.org>", {"<mary@example.com>"},
                       {"From: a@remote.org", "", "." + std::string(998, 'y'), "."}));
    CHECK(ok.store.mail.size() == 1);
}

TEST_CASE("SMTP-171 SMTP-190 MaxMsgSize: the body stops spooling, 552 at the end, session goes on", "[smtp][data]") {
    Harness h;
    h.cfg->mail.max_msg_size = 50;
    std::vector<std::string> msg{"From: a@remote.org", "X-Big-Header: " + std::string(80, 'h'), ""};
    for (int i = 0; i < 5; ++i) msg.push_back(std::string(20, 'b'));
    msg.push_back(".");
    auto script = mail_script("<a@remote.org>", {"<mary@example.com>"}, msg);
    script.insert(script.end() - 1, "NOOP");
    auto r = h.run(script);
    CHECK(has_line(r, "552 5.3.4 Message size (110) exceeds maximum: 50 bytes"));
    CHECK(r[r.size() - 2] == "250 2.0.0 OK");            // NOOP still answered
    CHECK(h.store.mail.empty());
    Harness hdr;                                         // the header is not counted
    hdr.cfg->mail.max_msg_size = 50;
    hdr.run(mail_script("<a@remote.org>", {"<mary@example.com>"},
                        {"From: a@remote.org", "X-Big: " + std::string(200, 'h'), "", "small", "."}));
    CHECK(hdr.store.mail.size() == 1);
}

TEST_CASE("SMTP-172 the transaction ends at the final dot whatever the outcome", "[smtp][data]") {
    Harness h;
    auto script = mail_script("<>", {"<mary@example.com>"}, {"Subject: x", "", "b", "."}, {});
    script.insert(script.end() - 1, "DATA");
    auto r = h.run(script);
    auto c = codes(r);
    CHECK(c[c.size() - 3] == 554);                       // an error reply at end of data...
    CHECK(c[c.size() - 2] == 503);                       // ...ends the transaction too
}

TEST_CASE("SMTP-173 an empty message is refused", "[smtp][data]") {
    Harness h;
    auto c = data_codes(h, {"."});
    CHECK(c[c.size() - 2] == 554);
    CHECK(has_line(h.io.lines(), "554 5.6.0 No message text"));
}

TEST_CASE("SMTP-174 a client leaving during DATA stores nothing", "[smtp][data]") {
    Harness h;
    h.run({"EHLO x", "MAIL FROM:<a@b.c>", "RCPT TO:<mary@example.com>", "DATA", "From: a@b.c", "", "partial"});
    CHECK(h.store.mail.empty());
    CHECK(h.log.has("!Sender disconnected (premature evacuation)"));
}

TEST_CASE("SMTP-163 SMTP-188 without From: the reverse path names the sender", "[smtp][data]") {
    Harness h;
    h.run(mail_script("<alice@remote.org>", {"<mary@example.com>"}, {"Subject: s", "", "b", "."}));
    REQUIRE(h.store.mail.size() == 1);
    auto& hdr = h.store.mail.begin()->second.hdr;
    CHECK(hdr.get(smb::hf::SENDER) == "alice");
    CHECK(hdr.get(smb::hf::SENDERNETADDR) == "alice@remote.org");
    Harness n;
    auto c = data_codes(n, {"Subject: s", "", "b", "."}, "<>");
    CHECK(c[c.size() - 2] == 554);
    CHECK(has_line(n.io.lines(), "554 5.6.0 Mail header missing 'FROM' field"));
}

TEST_CASE("SMTP-189 an address-like From: name that differs from the address is refused", "[smtp][data]") {
    Harness h;
    auto c = data_codes(h, {"From: \"boss@bank.com\" <phish@evil.org>", "", "b", "."});
    CHECK(c[c.size() - 2] == 554);
    CHECK(has_line(h.io.lines(), "554 5.7.1 Mail header contains mismatched 'FROM' field"));
    Harness ok;
    ok.run(mail_script("<a@remote.org>", {"<mary@example.com>"}, {"From: a@remote.org <a@remote.org>", "", "b", "."}));
    CHECK(ok.store.mail.size() == 1);
}

TEST_CASE("SMTP-182 ISSUE13-3 submission: From: addresses must belong to the user (in angle brackets)", "[smtp][data]") {
    Harness h;
    h.listener = Listener::Submission;
    auto r = h.run(mail_script("<mary@example.com>", {"<sysop@example.com>"},
                               {"From: Sysop <sysop@example.com>", "", "b", "."}, {auth_mary()}));
    CHECK(has_line(r, "550 5.7.1 Mail header 'FROM' address <sysop@example.com> not authorized for this "
                      "account, try <Mary@example.com>"));
    CHECK(h.store.mail.empty());
}

TEST_CASE("SEC-3 SMTP-182 submission: no From: form slips a foreign address past the check", "[smtp][data][sec]") {
    auto outcome = [](std::vector<std::string> header) {
        Harness h;
        h.listener = Listener::Submission;
        header.insert(header.end(), {"", "b", "."});
        auto r = h.run(mail_script("<mary@example.com>", {"<sysop@example.com>"}, header, {auth_mary()}));
        return std::make_pair(r[r.size() - 2], h.store.mail.size());
    };
    for (const char* from : {"From: (x) sysop@example.com", "From: sysop@example.com, <>", "From: <>",
                             "From: Mary <mary@example.com>, sysop@example.com",
                             "From: sysop@example.com (Mary <mary@example.com>)", "From: Staff: sysop@example.com;",
                             "From: (only a comment)", "From: Name Only"}) {
        CAPTURE(from);
        auto [reply, stored] = outcome({from});
        CHECK(reply.rfind("550 5.7.1 Mail header 'FROM' address ", 0) == 0);
        CHECK(stored == 0);
    }
    auto [second, n] = outcome({"From: Mary <mary@example.com>", "From: sysop@example.com"});
    CHECK(second == "550 5.7.1 Mail header 'FROM' address <sysop@example.com> not authorized for this account, "
                    "try <Mary@example.com>");
    CHECK(n == 0);
    auto [own, stored] = outcome({"From: \"Mary (me)\" <mary@example.com>, (again) mary@example.com"});
    CHECK(own.substr(0, 3) == "250");
    CHECK(stored == 1);
}

TEST_CASE("SMTP-184 a header over 65535 bytes is refused with 452", "[smtp][data]") {
    Harness h;
    std::vector<std::string> msg{"From: a@remote.org"};
    for (int i = 0; i < 80; ++i) msg.push_back("X-Pad-" + std::to_string(i) + ": " + std::string(900, 'p'));
    msg.push_back("");
    msg.push_back("b");
    msg.push_back(".");
    auto r = h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}, msg));
    CHECK(has_line(r, "452 4.3.1 Insufficient system storage"));
    CHECK(h.store.mail.empty());
}

TEST_CASE("ISSUE13-8 SMTP-184 a header the SMB header cannot hold (fields' overhead included) is refused with 452", "[smtp][data]") {
    Harness h;
    h.store.fail_next_add = true;
    h.store.fail_code = ErrorCode::TooLarge;   // what encode_header says past 64 KiB
    auto r = h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(has_line(r, "452 4.3.1 Insufficient system storage"));
    CHECK(h.store.mail.empty());
}

TEST_CASE("SMTP-187 SMTP-199 SPAM and KILLREAD attributes", "[smtp][data]") {
    Harness h;
    h.cfg->mail.options |= mail_opt::KILL_READ_SPAM;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}, {"From: a@remote.org", "X-Spam-Flag: YES", "", "b", "."}));
    REQUIRE(h.store.mail.size() == 1);
    CHECK(h.store.mail.begin()->second.hdr.attr == (smb::attr::SPAM | smb::attr::KILLREAD));
    Harness d;
    d.cfg->sys.settings |= SystemSettings::SYS_DELREADM;
    d.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(d.store.mail.begin()->second.hdr.attr == smb::attr::KILLREAD);
    Harness n;
    n.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(n.store.mail.begin()->second.hdr.attr == 0);
}

TEST_CASE("SMTP-202 FMT-115 one copy per recipient, shared body, Received first", "[smtp][data]") {
    Harness h;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>", "<sysop@example.com>"}));
    auto all = all_mail(h);
    REQUIRE(all.size() == 2);
    CHECK(all[0]->body == all[1]->body);
    CHECK(all[0]->hdr.fields.front().type == smb::hf::SMTPRECEIVED);
    CHECK(all[0]->hdr.get(smb::hf::RECIPIENTEXT) == "3");
    CHECK(all[1]->hdr.get(smb::hf::RECIPIENTEXT) == "1");
    CHECK(all[1]->hdr.get(smb::hf::SMTPFORWARDPATH) == "<sysop@example.com>");
    CHECK(all[0]->hdr.get(smb::hf::RECIPIENT) == "John Doe");      // SMTP-201: To: display name
}

TEST_CASE("SMTP-203 FMT-112 FMT-114 the sender fields of an Internet sender", "[smtp][data]") {
    Harness h;
    h.io.port = 41234;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"},
                      {"From: Alice <alice@remote.org>", "Subject: hi", "", "caf\xC3\xA9", "."}));
    REQUIRE(h.store.mail.size() == 1);
    auto& hdr = h.store.mail.begin()->second.hdr;
    using namespace smb::hf;
    std::vector<uint16_t> tail;
    bool after = false;
    for (auto& f : hdr.fields) {
        if (f.type == SENDER) after = true;
        if (after) tail.push_back(f.type);
    }
    std::vector<uint16_t> want{SENDER, SENDERNETTYPE, SENDERNETADDR, SMTPREVERSEPATH, SENDERTIME, SENDERIPADDR,
                               SENDERHOSTNAME, SENDERPROTOCOL, SENDERPORT, SENDERSERVER, RFC822MSGID, FIDOPID,
                               FIDOCHARSET, RECIPIENT, SMTPFORWARDPATH, RECIPIENTEXT};
    CHECK(tail == want);
    CHECK(hdr.get(SENDER) == "Alice");
    CHECK(hdr.get(SENDERNETADDR) == "alice@remote.org");
    CHECK(hdr.get(SENDERIPADDR) == "127.0.0.2");
    CHECK(hdr.get(SENDERHOSTNAME) == "<no name>");
    CHECK(hdr.get(SENDERPROTOCOL) == "SMTP");
    CHECK(hdr.get(SENDERPORT) == "41234");
    CHECK(hdr.get(SENDERSERVER) == "bbs.example.com");
    CHECK(hdr.get(FIDOCHARSET) == "UTF-8 4");
    CHECK(hdr.get(RFC822MSGID).find(".1@example.com>") != std::string::npos);   // FMT-109
    CHECK(hdr.get(SENDERTIME).size() >= 15);
}

TEST_CASE("SMTP-203 FMT-112 an authenticated sender: SENDEREXT, alias, user id", "[smtp][data]") {
    Harness h;
    h.cfg->mail.options |= mail_opt::ALLOW_RELAY;
    h.run(mail_script("<mary@example.com>", {"<sysop@example.com>", "<out@elsewhere.org>"},
                      {"From: Mary <mary@example.com>", "Message-ID: <m1@example.com>", "", "b", "."},
                      {auth_mary()}));
    auto all = all_mail(h);
    REQUIRE(all.size() == 2);
    auto& local = all[0]->hdr;
    CHECK(local.get(smb::hf::SENDEREXT) == "3");
    CHECK(local.get(smb::hf::SENDER) == "Mary");
    CHECK(local.get(smb::hf::SENDERUSERID) == "Mary");
    CHECK(local.get(smb::hf::SMTPREVERSEPATH) == "<mary@example.com>");
    CHECK(local.last(smb::hf::SENDERNETADDR) == nullptr);          // stays on the system
    CHECK(local.get(smb::hf::RFC822MSGID) == "<m1@example.com>");
    auto& out = all[1]->hdr;                                       // leaves the system
    CHECK(out.get(smb::hf::SENDERNETADDR) == "mary@example.com");
    CHECK(out.get_u16(smb::hf::RECIPIENTNETTYPE) == smb::net::INTERNET);
    CHECK(out.get(smb::hf::RECIPIENTNETADDR) == "out@elsewhere.org");
    auto q = h.store.queued_outbound(false);
    REQUIRE(q.ok());
    CHECK(q->size() == 1);                                         // FMT-117/118 for SendMail
}

TEST_CASE("SMTP-204 FMT-113 every copy is kill-when-sent; MIME attachments flagged", "[smtp][data]") {
    Harness h;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"},
                      {"From: a@remote.org", "Content-Type: multipart/mixed; boundary=x", "", "b", "."}));
    auto& hdr = h.store.mail.begin()->second.hdr;
    CHECK(hdr.netattr == smb::netattr::KILLSENT);
    CHECK((hdr.auxattr & smb::auxattr::MIMEATTACH) != 0);
}

TEST_CASE("SMTP-206 SMTP-207 a storage failure is a 4xx and nothing is stored", "[smtp][data]") {
    Harness h;
    h.store.fail_next_add = true;
    h.store.fail_code = ErrorCode::DiskFull;
    auto r = h.run(mail_script("<mary@example.com>", {"<sysop@example.com>", "<mary@example.com>"},
                               default_message(), {auth_mary()}));
    CHECK(has_line(r, "452 4.3.1 Insufficient system storage"));
    CHECK(h.store.mail.empty());
    CHECK(h.users.users[3].emails == 0);
    CHECK(h.notices.written.empty());
    Harness io;
    io.store.fail_next_add = true;
    auto ri = io.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(has_line(ri, "451 4.3.0 ERROR (simulated failure) saving message"));
    CHECK(codes(ri) == std::vector<int>{220, 250, 250, 250, 354, 451, 221});
}

TEST_CASE("SMTP-209 USER-42 counters: e-mail per copy, feedback to user 1", "[smtp][data]") {
    Harness h;
    h.run(mail_script("<mary@example.com>", {"<sysop@example.com>", "<john.doe@example.com>"},
                      default_message(), {auth_mary()}));
    CHECK(h.users.users[3].emails == 1);
    CHECK(h.users.users[3].fbacks == 1);
    CHECK(h.users.users[3].etoday == 2);
}

TEST_CASE("SMTP-210 USER-56 new-mail notices per NotifyOfflineUsers, on-line state and NO_NOTIFY", "[smtp][data]") {
    Harness off;
    off.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(off.notices.written.empty());
    Harness on;
    on.notices.online.insert(3);
    on.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(on.notices.written[3] == "\x01n\x01mNew e-mail from \x01h" "Alice\x01\\ \x01n<\x01h" "alice@remote.org\x01n>\r\n");
    Harness all;
    all.cfg->mail.notify_offline_users = true;
    all.run(mail_script("<a@remote.org>", {"<mary@example.com>"}, {"From: bob@x.org", "", "b", "."}));
    CHECK(all.notices.written[3] == "\x01n\x01mNew e-mail from \x01h" "bob@x.org\x01\\ \x01n<\x01h" "x.org\x01n>\r\n");
    Harness no;
    no.cfg->mail.notify_offline_users = true;
    no.cfg->mail.options |= mail_opt::NO_NOTIFY;
    no.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(no.notices.written.empty());
    Harness fw;
    fw.cfg->sys.settings |= SystemSettings::SYS_FWDTONET;
    fw.users.users[3].netmail = "m@out.org";
    fw.users.users[3].misc |= User::MISC_NETMAIL;
    fw.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(fw.notices.written[3].find("and it was automatically forwarded to\x01\\: \x01hm@out.org") != std::string::npos);
}

TEST_CASE("SMTP-212 SMTP-213 the Received field's shape and WITH keyword", "[smtp][data]") {
    Harness h;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    std::string rcv = h.store.mail.begin()->second.hdr.get(smb::hf::SMTPRECEIVED);
    CHECK(rcv.rfind("from <no name> (client.example.net [127.0.0.2])\r\n"
                    "          by bbs.example.com [127.0.0.1] (Synchronet Mail Server 3.22a-Linux) with ESMTP\r\n"
                    "          for <mary@example.com>; ", 0) == 0);
    CHECK(rcv.find("\r\n          (envelope-from <a@remote.org>)") != std::string::npos);
    auto helo = mail_script("<a@remote.org>", {"<mary@example.com>"});
    helo[0] = "HELO client";
    Harness s;
    s.run(helo);
    CHECK(s.store.mail.begin()->second.hdr.get(smb::hf::SMTPRECEIVED).find("with SMTP\r\n") != std::string::npos);
    Harness t;
    t.io.tls = true;
    t.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(t.store.mail.begin()->second.hdr.get(smb::hf::SMTPRECEIVED).find("with ESMTPS\r\n") != std::string::npos);
    Harness a;                                                     // ours: RFC 3848
    a.io.tls = true;
    a.run(mail_script("<mary@example.com>", {"<sysop@example.com>"}, default_message(), {auth_mary()}));
    CHECK(a.store.mail.begin()->second.hdr.get(smb::hf::SMTPRECEIVED).find("with ESMTPSA\r\n") != std::string::npos);
}

TEST_CASE("SMTP-255 each stored copy is logged", "[smtp][data]") {
    Harness h;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(h.log.has("Added message header #1 from 'Alice' <alice@remote.org> to 'mary@example.com' <#3>"));
    Harness a;
    a.run(mail_script("<sysop@example.com>", {"<mary@example.com>"}, default_message(), {auth_sysop()}));
    CHECK(a.log.has("Added message header #1 from 'Sysop' #1 to "));
}

TEST_CASE("SMTP-102 SMTP-150 SMTP-176 SEND delivers a telegram, not e-mail", "[smtp][data]") {
    Harness h;
    h.notices.pageable.insert(3);
    h.run({"EHLO x", "SEND FROM:<alice@remote.org>", "RCPT TO:<mary@example.com>", "DATA", "Hi Mary", ".", "QUIT"});
    CHECK(h.store.mail.empty());
    CHECK(h.notices.written[3] == "\x01n\x01h\x01" "cInstant Message\x01n from \x01h\x01y" "alice@remote.org\r\n"
                                  "\x01w[\x01n" "127.0.0.2\x01h] (\x01n<no name>\x01h)\x01n:\r\n\x01hHi Mary\r\n");
    Harness v;                                                     // sender's domain resolves to the client
    v.notices.pageable.insert(3);
    v.resolver.hosts["remote.org"] = {"127.0.0.2"};
    v.extras.resolver = &v.resolver;
    v.run({"EHLO x", "SAML FROM:<alice@remote.org>", "RCPT TO:<mary@example.com>", "DATA", "Hi", ".", "QUIT"});
    CHECK(v.notices.written[3] == "\x01n\x01h\x01" "cInstant Message\x01n from \x01h\x01y" "alice@remote.org\x01n:\r\n\x01hHi\r\n");
}

static std::vector<std::string> telegram_script(const std::string& verb, unsigned copies,
                                                std::vector<std::string> body) {
    std::vector<std::string> s{"EHLO x", verb + " FROM:<alice@remote.org>"};
    for (unsigned i = 0; i < copies; ++i) s.push_back("RCPT TO:<mary@example.com>");
    s.push_back("DATA");
    s.insert(s.end(), body.begin(), body.end());
    s.push_back(".");
    s.push_back("QUIT");
    return s;
}

TEST_CASE("SEC-8 SMTP-176 a telegram over MaxTelegramSize gets 552 and reaches nobody", "[smtp][data]") {
    Harness h;                                          // SOML: no on-line check (SMTP-102)
    h.cfg->mail.max_telegram_size = 300;
    h.cfg->mail.max_msg_size = 200;                    // the spool stops at 200: still refused
    auto r = h.run(telegram_script("SOML", 3, std::vector<std::string>(5, std::string(98, 'x'))));
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 250, 250, 354, 552, 221});
    CHECK(has_line(r, "552 5.3.4 Message size (500) exceeds maximum: 300 bytes"));
    CHECK(h.notices.written.empty());
    Harness fits;
    fits.cfg->mail.max_telegram_size = 500;
    fits.cfg->mail.max_msg_size = 0;
    fits.run(telegram_script("SAML", 1, std::vector<std::string>(5, std::string(98, 'x'))));
    CHECK(fits.notices.written.count(3) == 1);
}

TEST_CASE("SEC-8 SMTP-176 a telegram is written once per user however often it is listed", "[smtp][data]") {
    Harness h;
    auto script = telegram_script("SOML", 3, {"Hi Mary"});
    script.insert(script.begin() + 4, "RCPT TO:<sysop@example.com>");
    auto r = h.run(script);
    CHECK(codes(r).back() == 221);
    CHECK(has_line(r, "250 OK"));
    const std::string one = "\x01n\x01h\x01" "cInstant Message\x01n from \x01h\x01y" "alice@remote.org\r\n"
                            "\x01w[\x01n" "127.0.0.2\x01h] (\x01n<no name>\x01h)\x01n:\r\n\x01hHi Mary\r\n";
    CHECK(h.notices.written[3] == one);
    CHECK(h.notices.written[1] == one);
}

// A filter that records where it was consulted and can decide at one point.
struct Probe : SmtpFilter {
    std::vector<std::string> seen;
    std::string decide_at;
    Verdict v;
    Verdict at(const std::string& where) {
        seen.push_back(where);
        return where == decide_at ? v : Verdict::pass();
    }
    Verdict on_connect(const SessionFacts&) override { return at("connect"); }
    Verdict on_helo(const SessionFacts&) override { return at("helo"); }
    Verdict on_mail(const SessionFacts&, const std::string&) override { return at("mail"); }
    Verdict on_rcpt(const SessionFacts&, const std::string&, const std::string&) override { return at("rcpt"); }
    Verdict on_data_end(const SessionFacts&, const ReceivedMessage&) override { return at("data"); }
};

TEST_CASE("filter chain: consulted at connect, HELO, MAIL, RCPT and end of data", "[smtp][filter]") {
    Harness h;
    auto p = std::make_shared<Probe>();
    h.filters.add(p);
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(p->seen == std::vector<std::string>{"connect", "helo", "mail", "rcpt", "data"});
    CHECK(h.store.mail.size() == 1);

    Harness c;
    auto pc = std::make_shared<Probe>();
    pc->decide_at = "connect";
    pc->v = Verdict::reject({550, "5.7.1", "CLIENT IP ADDRESS BLOCKED: 127.0.0.2"}, true);
    c.filters.add(pc);
    auto rc = c.run({"EHLO x"});
    CHECK(rc == std::vector<std::string>{"550 5.7.1 CLIENT IP ADDRESS BLOCKED: 127.0.0.2"});

    Harness d;
    auto pd = std::make_shared<Probe>();
    pd->decide_at = "data";
    pd->v = Verdict::reject({554, "5.7.1", "Sender not allowed."});
    d.filters.add(pd);
    auto rd = d.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(has_line(rd, "554 5.7.1 Sender not allowed."));
    CHECK(d.store.mail.empty());
}

TEST_CASE("SMTP-179 a transaction whose recipients were all discarded is accepted and dropped", "[smtp][filter]") {
    Harness h;
    auto p = std::make_shared<Probe>();
    p->decide_at = "rcpt";
    p->v = Verdict::discard(ok("2.1.5"));
    h.filters.add(p);
    auto r = h.run(mail_script("<a@remote.org>", {"<bait@example.com>"}));
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
    CHECK(h.store.mail.empty());
}

TEST_CASE("SMTP-32 a session id is logged at DEBUG", "[smtp][data]") {
    Harness h;
    h.run({"QUIT"});
    CHECK(h.log.has("[127.0.0.2] Session ID="));
    CHECK(h.log.level_of("Session ID=") == LogLevel::Debug);
}

TEST_CASE("older installs: NewMailNotice/ForwardNotice formats and DefaultCharset", "[smtp][data]") {
    Harness h;
    h.cfg->mail.notify_offline_users = true;
    h.cfg->mail.new_mail_notice = "%.0sNew e-mail from %s <%s>\r\n";
    h.cfg->mail.forward_notice = "and it was forwarded to: %s\r\n";
    h.cfg->sys.settings |= SystemSettings::SYS_FWDTONET;
    h.users.users[3].netmail = "m@out.org";
    h.run(mail_script("<a@remote.org>", {"<forward:mary@example.com>", "<sysop@example.com>"}));
    CHECK(h.notices.written[3] == "New e-mail from Alice <alice@remote.org>\r\nand it was forwarded to: m@out.org\r\n");
    CHECK(h.notices.written[1] == "New e-mail from Alice <alice@remote.org>\r\n");

    Harness c;
    c.extras.default_charset = "IBM437";
    c.run(mail_script("<a@remote.org>", {"<mary@example.com>"}, {"From: a@remote.org", "", "\xB0\xB1\xB2", "."}));
    CHECK(c.store.mail.begin()->second.hdr.get(smb::hf::FIDOCHARSET) == "CP437 2");
    Harness named;                                   // the message names its charset: left alone
    named.extras.default_charset = "IBM437";
    named.run(mail_script("<a@remote.org>", {"<mary@example.com>"},
                          {"From: a@remote.org", "Content-Type: text/plain; charset=iso-8859-1", "", "\xE9", "."}));
    CHECK(named.store.mail.begin()->second.hdr.last(smb::hf::FIDOCHARSET) == nullptr);
}

TEST_CASE("SMTP-208 outbound and FidoNet semaphores are touched after the 250", "[smtp][data]") {
    auto dir = std::filesystem::temp_directory_path() / ("smtp-sem-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    Harness h;
    h.cfg->mail.options |= mail_opt::ALLOW_RELAY;
    h.cfg->msgs.smtp_sem = (dir / "smtpout.now").string();
    h.cfg->msgs.fido_netmail_sem = (dir / "netmail.now").string();
    h.cfg->msgs.fido_addresses.push_back("1:218/700");
    h.run(mail_script("<mary@example.com>", {"<x@elsewhere.org>"}, default_message(), {auth_mary_line()}));
    CHECK(std::filesystem::exists(dir / "smtpout.now"));
    CHECK_FALSE(std::filesystem::exists(dir / "netmail.now"));
    std::filesystem::remove(dir / "smtpout.now");
    Harness l;                                       // local mail signals the mail semaphore too
    l.cfg->msgs.smtp_sem = (dir / "smtpout.now").string();
    l.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(std::filesystem::exists(dir / "smtpout.now"));
    Harness f;
    f.cfg->msgs.fido_netmail_sem = (dir / "netmail.now").string();
    f.cfg->msgs.fido_addresses.push_back("1:218/700");
    f.run(mail_script("<mary@example.com>", {"<joe@f3.n2.z1.fidonet>"}, default_message(), {auth_mary_line()}));
    CHECK(std::filesystem::exists(dir / "netmail.now"));
    REQUIRE(f.store.mail.size() == 1);
    CHECK(f.store.mail.begin()->second.hdr.get(smb::hf::RECIPIENT) == "joe");   // To: names John Doe
    std::filesystem::remove_all(dir);
}

TEST_CASE("SMTP-168 DEBUG_RX_HEADER logs each received header line", "[smtp][data]") {
    Harness h;
    h.cfg->mail.options |= mail_opt::DEBUG_RX_HEADER;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(h.log.has("RX: Subject: hi"));
    CHECK(h.log.level_of("RX: Subject: hi") == LogLevel::Debug);
    Harness n;
    n.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK_FALSE(n.log.has("RX: Subject: hi"));
}

TEST_CASE("SMTP-177 a telegram from a reverse path without '@' is sent as unverified", "[smtp][data]") {
    Harness h;
    h.notices.pageable.insert(3);
    h.extras.resolver = &h.resolver;
    auto r = h.run({"EHLO x", "SEND FROM:<alice>", "RCPT TO:<mary@example.com>", "DATA", "Hi", ".", "QUIT"});
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
    CHECK(h.notices.written[3].find("\x01w[\x01n" "127.0.0.2") != std::string::npos);
}

TEST_CASE("SMTP-261 no DKIM, SPF or DMARC verification on receipt: signatures pass through, no verdict is added", "[smtp][data]") {
    Harness h;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"},
                      {"DKIM-Signature: v=1; a=rsa-sha256; d=remote.org; s=x; b=broken", "From: Alice <a@remote.org>",
                       "Subject: signed", "", "body", "."}));
    REQUIRE(h.store.mail.size() == 1);
    const auto& hdr = h.store.mail.begin()->second.hdr;
    CHECK(hdr.get(smb::hf::RFC822HEADER) == "DKIM-Signature: v=1; a=rsa-sha256; d=remote.org; s=x; b=broken");
    for (const auto& f : hdr.fields) {
        CHECK(f.data.find("Authentication-Results") == std::string::npos);
        CHECK(f.data.find("Received-SPF") == std::string::npos);
    }
    CHECK_FALSE(hdr.attr & smb::attr::SPAM);
}

TEST_CASE("RFC8601-5 review 4: a forged Authentication-Results with our host name goes for AUTH'd and unchecked clients too", "[smtp][data]") {
    const std::vector<std::string> message{
        "Authentication-Results: bbs.example.com; dkim=pass header.d=paypal.com;",
        "\tdmarc=pass header.from=paypal.com",
        "Authentication-Results: other.example; spf=pass",
        "From: Mary <mary@example.com>", "Subject: hi", "", "body", "."};
    for (bool authed : {true, false}) {
        Harness h;
        auto prelude = authed ? std::vector<std::string>{auth_mary()} : std::vector<std::string>{};
        h.run(mail_script("<mary@example.com>", {"<john.doe@example.com>"}, message, prelude));
        REQUIRE(h.store.mail.size() == 1);
        std::string hdr;
        for (const auto& f : h.store.mail.begin()->second.hdr.fields) hdr += f.data + "\n";
        CHECK(hdr.find("paypal.com") == std::string::npos);
        CHECK(hdr.find("dkim=pass") == std::string::npos);
        CHECK(hdr.find("Authentication-Results: other.example; spf=pass") != std::string::npos);
        CHECK(h.log.has("!SPF removed 1 Authentication-Results header(s) claiming to be ours (bbs.example.com)"));
    }
}
