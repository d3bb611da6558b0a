// SendMail against a real Postfix: as the receiving MX found through a
// dnsmasq on loopback, and as the RelayServer requiring SASL AUTH (Dovecot
// auth behind Postfix). Mail is queued into a real SMB base with our writer
// as the terminal server queues it (FMT-117), rendered with the server's
// renderer, and checked at the receiver's Maildir and in the base afterwards.
#include "postfix_server.h"
#include "smb_fixture.h"

#include "sendmail/dns_setup.h"
#include "sendmail/renderer.h"

#include "skip.h"

#include "eventually.h"

#include <catch.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace sbbs;
using namespace sbbs::test;
namespace hf = smb::hf;

namespace {

// Postfix logs a session's summary ("disconnect ... mail=1 rcpt=2 ...") when
// its smtpd has finished with the connection, which may be a moment after our
// side is done: wait for the line rather than race it (at most 10 s).
bool postfix_logged(const PostfixServer& server, const std::string& text) {
    return test::eventually([&] { return server.log().find(text) != std::string::npos; }, std::chrono::seconds(10));
}

const char* kZone =
    "mx-host=dest.test,mx.dest.test,10\n"
    "mx-host=elsewhere.test,mx.dest.test,10\n"
    "host-record=mx.dest.test,127.0.0.1\n";

RenderContext context() {
    Config cfg;
    cfg.msgs.inet_addr = "bbs.test";
    cfg.sys.name = "Test BBS";
    return render_context(cfg);
}

// A BBS user's mail to `addrs`, one header per recipient sharing the text,
// as the terminal server writes it.
std::vector<uint32_t> queue_as_bbs(MailStore& store, const std::vector<std::string>& addrs, const std::string& body) {
    NewMessage m;
    m.hdr.netattr = smb::netattr::LOCAL;
    m.hdr.add(hf::SENDER, "Sysop");
    m.hdr.add(hf::SENDEREXT, "1");
    m.hdr.add(hf::SUBJECT, "Hello from the BBS");
    m.hdr.add(hf::RFC822MSGID, "<6565A1B2.42@bbs.test>");
    if (addrs.size() > 1) {   // the To: line every copy shows (POP3-86)
        std::string list;
        for (auto& a : addrs) list += (list.empty() ? "" : ", ") + a;
        m.hdr.add(hf::RECIPIENTLIST, list);
    }
    m.body = body;
    std::vector<RecipientCopy> copies(addrs.size());
    for (size_t i = 0; i < addrs.size(); ++i)
        copies[i].append = {{hf::RECIPIENT, addrs[i]},
                            {hf::RECIPIENTNETTYPE, std::string{char(smb::net::INTERNET), 0}},
                            {hf::RECIPIENTNETADDR, addrs[i]}};
    return store.add_mail(m, copies).value();
}

std::string crlf_to_lf(std::string s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i)
        if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
    return out;
}

// The delivered file minus what Postfix put in front (Return-Path,
// X-Original-To, Delivered-To, Received with its continuation lines).
std::string strip_receiver_lines(const std::string& file, std::string& delivered_to) {
    size_t pos = 0;
    while (pos < file.size()) {
        size_t nl = file.find('\n', pos);
        std::string line = file.substr(pos, nl - pos);
        bool added = line.rfind("Return-Path:", 0) == 0 || line.rfind("Delivered-To:", 0) == 0 ||
                     line.rfind("X-Original-To:", 0) == 0 ||
                     line.rfind("Received:", 0) == 0 || (!line.empty() && (line[0] == ' ' || line[0] == '\t'));
        if (!added) break;
        if (line.rfind("Delivered-To: ", 0) == 0) delivered_to = line.substr(14);
        pos = nl + 1;
    }
    return file.substr(pos);
}

} // namespace

namespace {
// A BBS user's mail to two recipients at Postfix as the MX, `postfix_main`
// added to its main.cf: delivered byte for byte in one transaction, whose
// summary Postfix logs as `session` ("ehlo=1 mail=1 rcpt=2 bdat=1 quit=1").
void two_recipients_to_postfix(const std::string& postfix_main, const std::string& session) {
    PostfixServer mx({{"dest.test"}, "", "", postfix_main});
    if (!mx.running()) SBBS_SKIP(mx.why_not());
    DnsmasqServer dns(kZone);
    if (!dns.running()) SBBS_SKIP(dns.why_not());
    TempDir dir;
    auto store = open_store(dir.path + "mail");
    std::string body = "Dear friends,\r\n.a line starting with a dot\r\n\r\nTabs\tand  spaces stay.\r\n--\r\nSysop\r\n";
    auto nums = queue_as_bbs(*store, {"bob@dest.test", "carol@dest.test"}, body);
    Harness h;
    h.s.dns_server = "127.0.0.1";
    h.s.dns_port = dns.port();
    h.s.allow_loopback_hosts = true;
    h.s.mx_port = mx.port();
    auto resolver = make_resolver(h.s);
    REQUIRE(resolver->usable());
    auto ctx = context();
    SendMail sm(h.s, SendMailDeps{*store, *resolver, *h.connector, rfc822_renderer(ctx), h.log});
    CHECK(sm.scan(true).sent == 2);

    std::string want = crlf_to_lf(render_rfc822(store->read(nums[0], true).value(), ctx));
    REQUIRE(want.find("Subject: Hello from the BBS\n") != std::string::npos);
    // The body byte for byte: the renderer adds no line end after a text
    // that already ends in one (ours; the original adds one, POP3-97).
    CHECK(want.substr(want.find("\n\n") + 2) == crlf_to_lf(body));
    auto got = mx.messages(2);
    REQUIRE(got.size() == 2);
    std::vector<std::string> to;
    for (auto& file : got) {
        std::string delivered_to;
        CHECK(strip_receiver_lines(file, delivered_to) == want);   // every header and the body, unchanged
        to.push_back(delivered_to);
    }
    std::sort(to.begin(), to.end());
    CHECK(to == std::vector<std::string>{"bob@dest.test", "carol@dest.test"});
    CHECK(postfix_logged(mx, session));
    for (auto n : nums) {
        auto hdr = store->read(n, false).value().hdr;
        CHECK((hdr.netattr & smb::netattr::SENT));
        CHECK_FALSE((hdr.netattr & smb::netattr::INTRANSIT));
        CHECK_FALSE((hdr.attr & smb::attr::DELETE));   // a user's sent mail is kept (SEND-81)
        CHECK(hdr.delivery_attempts == 0);
    }
    CHECK(problems(dir.path + "mail").empty());
}
} // namespace

TEST_CASE("SEND-30 SEND-61 SEND-67 SEND-81 RFC3030-14 Postfix as the MX: headers and body arrive byte for byte "
          "in one BDAT chunk, one transaction for two recipients",
          "[sendmail][chunking]") {
    // Postfix offers CHUNKING: one session, one MAIL FROM, two RCPT TO, one BDAT.
    two_recipients_to_postfix("", "ehlo=1 mail=1 rcpt=2 bdat=1 quit=1");
}

TEST_CASE("SEND-30 RFC3030-15 Postfix as the MX without CHUNKING: the same bytes arrive by DATA",
          "[sendmail][chunking]") {
    two_recipients_to_postfix("smtpd_discard_ehlo_keywords = chunking\n", "ehlo=1 mail=1 rcpt=2 data=1 quit=1");
}

TEST_CASE("SEND-62 SEND-93 Postfix refusing one recipient of a shared transaction: only that one bounces",
          "[sendmail]") {
    PostfixServer mx({{"dest.test"}, "", "", ""});
    if (!mx.running()) SBBS_SKIP(mx.why_not());
    DnsmasqServer dns(kZone);
    if (!dns.running()) SBBS_SKIP(dns.why_not());
    TempDir dir;
    auto store = open_store(dir.path + "mail");
    // elsewhere.test has the same MX, which does not relay for it.
    auto nums = queue_as_bbs(*store, {"bob@dest.test", "eve@elsewhere.test"}, "Short note.\r\n");
    Harness h;
    h.s.dns_server = "127.0.0.1";
    h.s.dns_port = dns.port();
    h.s.allow_loopback_hosts = true;
    h.s.mx_port = mx.port();
    auto resolver = make_resolver(h.s);
    SendMail sm(h.s, SendMailDeps{*store, *resolver, *h.connector, rfc822_renderer(context()), h.log});
    auto st = sm.scan(true);
    CHECK(st.sent == 1);
    CHECK(st.bounced == 1);
    CHECK(mx.messages(1).size() == 1);
    CHECK(postfix_logged(mx, "mail=1 rcpt=1/2 bdat=1"));
    auto ok = store->read(nums[0], false).value().hdr;
    auto refused = store->read(nums[1], false).value().hdr;
    CHECK((ok.netattr & smb::netattr::SENT));
    CHECK((refused.attr & smb::attr::DELETE));
    CHECK(refused.delivery_attempts == 1);
    // The notice for the sender, in the base, names Postfix's 5xx reply.
    auto last = store->last_msg().value();
    auto notice_msg = store->read(last, true).value();
    auto& notice = notice_msg.hdr;
    CHECK(notice.get(hf::SENDER) == "Mail Delivery Subsystem");
    CHECK(notice.get(hf::RECIPIENTEXT) == "1");
    std::string comments = human_part(notice_msg);
    CHECK(comments.find("Relay access denied") != std::string::npos);
    CHECK(problems(dir.path + "mail").empty());
}

TEST_CASE("SEND-28 SEND-54 SEND-55 SEND-56 Postfix as the RelayServer with SASL: PLAIN and LOGIN accepted",
          "[sendmail]") {
    PostfixServer relay({{"far.example"}, "relayuser", "s3cret", ""});
    if (!relay.running()) SBBS_SKIP(relay.why_not());
    for (uint32_t method : {mail_opt::RELAY_AUTH_PLAIN, mail_opt::RELAY_AUTH_LOGIN}) {
        TempDir dir;
        auto store = open_store(dir.path + "mail");
        auto n = queue_as_bbs(*store, {"friend@far.example"}, "Through the relay.\r\n").front();
        Harness h;
        h.s.options |= mail_opt::RELAY_TX | method;
        h.s.relay_auth_without_tls = true;   // a plain-text test relay (SEC-6 opt-in)
        h.s.relay_server = "127.0.0.1";
        h.s.relay_port = relay.port();
        h.s.relay_username = "relayuser";
        h.s.relay_password = "s3cret";
        SendMail sm(h.s, SendMailDeps{*store, h.dns, *h.connector, rfc822_renderer(context()), h.log});
        CHECK(sm.scan(true).sent == 1);
        CHECK((store->read(n, false).value().hdr.netattr & smb::netattr::SENT));
    }
    auto got = relay.messages(2);
    CHECK(got.size() == 2);
    CHECK(postfix_logged(relay, "sasl_method=PLAIN, sasl_username=relayuser"));
    CHECK(postfix_logged(relay, "sasl_method=LOGIN, sasl_username=relayuser"));
}

TEST_CASE("SEND-59 Postfix as the RelayServer refusing the credentials: bounced at once, nothing relayed",
          "[sendmail]") {
    PostfixServer relay({{"far.example"}, "relayuser", "s3cret", ""});
    if (!relay.running()) SBBS_SKIP(relay.why_not());
    TempDir dir;
    auto store = open_store(dir.path + "mail");
    auto n = queue_as_bbs(*store, {"friend@far.example"}, "Wrong password.\r\n").front();
    Harness h;
    h.s.options |= mail_opt::RELAY_TX | mail_opt::RELAY_AUTH_PLAIN;
    h.s.relay_auth_without_tls = true;   // a plain-text test relay (SEC-6 opt-in)
    h.s.relay_server = "127.0.0.1";
    h.s.relay_port = relay.port();
    h.s.relay_username = "relayuser";
    h.s.relay_password = "wrong";
    h.s.max_inactivity_s = 10;   // Postfix answers a failed AUTH after a pause
    SendMail sm(h.s, SendMailDeps{*store, h.dns, *h.connector, rfc822_renderer(context()), h.log});
    CHECK(sm.scan(true).bounced == 1);
    auto hdr = store->read(n, false).value().hdr;
    CHECK((hdr.attr & smb::attr::DELETE));
    CHECK_FALSE((hdr.netattr & (smb::netattr::SENT | smb::netattr::INTRANSIT)));
    CHECK(relay.messages(0, 0).empty());
    CHECK(h.log.has("535"));
}
