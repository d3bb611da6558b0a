// SendMail and REQUIRETLS (RFC 8689): a message received with REQUIRETLS goes
// on only over STARTTLS verified for the MX host's name, to a server that
// offers REQUIRETLS, with MAIL FROM ... REQUIRETLS; another MX host is tried
// when one does not qualify, and when none does the sender gets the header
// back, in a notice itself marked REQUIRETLS. Such mail never shares a
// session with other mail. "TLS-Required: No" (without REQUIRETLS) is read.
#include "harness.h"

#include "dsn/params.h"
#include "sendmail/peer_extensions.h"
#include "sendmail/tls_request.h"

#include <catch.hpp>

#include <cstdlib>
#include <fstream>

using namespace sbbs;
using namespace sbbs::test;
namespace hf = smb::hf;

namespace {

bool run(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0; }

// In `dir`: a test CA (ca.pem); "mx.pem" issued by it for mx1.far.test and
// mx2.far.test; "other.pem" issued by it for other.test; "self.pem" for
// mx1.far.test, self-signed. EC keys: quick to make. False without openssl.
bool make_certs(const std::string& dir) {
    auto issue = [&](const std::string& name, const std::string& san) {
        std::ofstream(dir + name + ".ext") << "subjectAltName=" << san << "\n";
        return run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=" + name +
                   " -keyout " + dir + name + ".key -out " + dir + name + ".csr") &&
               run("openssl x509 -req -in " + dir + name + ".csr -CA " + dir + "ca.pem -CAkey " + dir +
                   "ca.key -CAcreateserial -days 1 -extfile " + dir + name + ".ext -out " + dir + name + ".pem");
    };
    return run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=Test-CA -days 1"
               " -keyout " + dir + "ca.key -out " + dir + "ca.pem") &&
           issue("mx", "DNS:mx1.far.test,DNS:mx2.far.test") && issue("other", "DNS:other.test") &&
           run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=mx1.far.test"
               " -addext subjectAltName=DNS:mx1.far.test -days 1 -keyout " + dir + "self.key -out " + dir +
               "self.pem");
}

const std::vector<std::string> kOffersAll = {"250-fake.test", "250-STARTTLS", "250 REQUIRETLS"};

// far.test's MX hosts (in order) all reach `f` on 127.0.0.1, which presents
// certificate `cert` of `dir`; the CA of `dir` is the one SendMail trusts.
void mx_hosts(Harness& h, FakeSmtpServer& f, const TempDir& dir, const std::string& cert,
              const std::vector<std::string>& hosts = {"mx1.far.test"}) {
    f.cert_file = dir.path + cert + ".pem";
    f.key_file = dir.path + cert + ".key";
    f.start();
    DnsAnswer<MxRecord> mx{DnsStatus::Ok, {}, {}, 0};
    for (size_t i = 0; i < hosts.size(); ++i) {
        mx.records.push_back({uint16_t(10 * (i + 1)), hosts[i]});
        if (hosts[i] != "unresolvable.far.test") h.dns.hosts[hosts[i]] = "127.0.0.1";
    }
    h.dns.mx_answers["far.test"] = mx;
    h.s.allow_loopback_hosts = true;
    h.s.mx_port = f.port();
    h.s.relay_tls_ca_file = dir.path + "ca.pem";
    h.s.delivery_workers = 1;       // one session at a time: the fake server takes one at a time
}

// A queued message as SMTP stores one received with MAIL FROM ... REQUIRETLS.
uint32_t queue_requiretls(Harness& h, const std::string& to = "bob@far.test") {
    uint32_t n = h.queue(to, "Secret body\r\n");
    h.store.mail[n].hdr.add(hf::DSN_ENVELOPE, "REQUIRETLS");
    return n;
}

bool has_prefix(const std::vector<std::string>& lines, const std::string& p) {
    for (auto& l : lines)
        if (l.rfind(p, 0) == 0) return true;
    return false;
}

// The notice's text when it gives a reason naming RFC 8689 (its text/plain
// part's "Reason:" lines, dsn::make_notice), else nothing.
std::string reason(const smb::Message& notice) {
    return notice.body.find("RFC 8689") != std::string::npos ? notice.body : std::string();
}

// One scan that returns the message: nothing reached MAIL, and the notice's reason.
std::string bounced_reason(Harness& h, FakeSmtpServer& f, uint32_t n) {
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    CHECK((h.hdr(n).attr & smb::attr::DELETE));
    for (auto& s : f.sessions()) CHECK_FALSE(has_prefix(s.commands, "MAIL"));
    auto notes = h.notices();
    REQUIRE(notes.size() == 1);
    return reason(notes[0]);
}

#define SKIP_WITHOUT_CERTS(dir) \
    if (!make_certs((dir).path)) { WARN("skipped: the openssl command is not available"); return; }

} // namespace

TEST_CASE("RFC8689-4.2.1 REQUIRETLS mail goes over STARTTLS verified for the MX name, with MAIL FROM ... REQUIRETLS",
          "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    Harness h;
    FakeSmtpServer f;
    f.replies["EHLO"] = {"250-fake.test\r\n250 STARTTLS", "250-fake.test\r\n250 REQUIRETLS"};
    mx_hosts(h, f, dir, "mx");
    queue_requiretls(h);
    auto ss = h.scan_one_session(f);
    CHECK(ss[0].tls);
    CHECK(contains(ss[0].commands, "MAIL FROM:<John.Doe@bbs.test> REQUIRETLS"));
    CHECK(h.log.has("verified TLS to mx1.far.test, REQUIRETLS offered"));
}

TEST_CASE("RFC8689-4.2.1 a self-signed or misnamed certificate: not sent, returned with 5.7.10",
          "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    for (std::string cert : {"self", "other"}) {
        INFO(cert);
        Harness h;
        FakeSmtpServer f;
        f.ehlo = kOffersAll;
        mx_hosts(h, f, dir, cert);
        auto n = queue_requiretls(h);
        std::string why = bounced_reason(h, f, n);
        CHECK(why.find("mx1.far.test failed TLS") != std::string::npos);
        CHECK(why.find("\"5.7.10 Encryption needed\"") != std::string::npos);
        REQUIRE(f.sessions().size() == 1);   // no plain-text retry (SEND-52 is for other mail)
    }
}

TEST_CASE("RFC8689-4.2.1 a server not offering REQUIRETLS inside TLS gets QUIT and no MAIL, the message is returned with 5.7.30",
          "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    Harness h;
    FakeSmtpServer f;
    f.replies["EHLO"] = {"250-fake.test\r\n250-STARTTLS\r\n250 REQUIRETLS", "250-fake.test\r\n250 8BITMIME"};
    mx_hosts(h, f, dir, "mx");
    auto n = queue_requiretls(h);
    std::string why = bounced_reason(h, f, n);
    CHECK(why.find("mx1.far.test does not offer REQUIRETLS") != std::string::npos);
    CHECK(why.find("\"5.7.30 REQUIRETLS support required\"") != std::string::npos);
    REQUIRE(f.sessions().size() == 1);
    CHECK(f.sessions()[0].tls);   // REQUIRETLS before STARTTLS counts for nothing (RFC 3207 4.2)
    CHECK(f.sessions()[0].commands.back() == "QUIT");
}

TEST_CASE("RFC8689-4.2.1 a server without STARTTLS: no plain-text delivery, returned with 5.7.30",
          "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    Harness h;
    FakeSmtpServer f;
    f.ehlo = {"250-fake.test", "250 REQUIRETLS"};
    mx_hosts(h, f, dir, "mx");
    auto n = queue_requiretls(h);
    std::string why = bounced_reason(h, f, n);
    CHECK(why.find("mx1.far.test offers no STARTTLS") != std::string::npos);
    CHECK(why.find("5.7.30") != std::string::npos);
}

TEST_CASE("RFC8689-4.2.1 the next MX host is tried when one does not qualify", "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    Harness h;
    FakeSmtpServer f;
    // mx1: STARTTLS, but no REQUIRETLS inside; mx2: both.
    f.replies["EHLO"] = {"250-fake.test\r\n250 STARTTLS", "250-fake.test\r\n250 8BITMIME",
                         "250-fake.test\r\n250 STARTTLS", "250-fake.test\r\n250 REQUIRETLS"};
    mx_hosts(h, f, dir, "mx", {"mx1.far.test", "mx2.far.test"});
    queue_requiretls(h);
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 2);
    CHECK_FALSE(has_prefix(ss[0].commands, "MAIL"));
    CHECK(ss[0].commands.back() == "QUIT");
    CHECK(contains(ss[1].commands, "MAIL FROM:<John.Doe@bbs.test> REQUIRETLS"));
    CHECK(h.notices().empty());
}

TEST_CASE("RFC8689-4.2.1 a refusal while another MX host was not reached is temporary", "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    Harness h;
    FakeSmtpServer f;
    f.replies["EHLO"] = {"250-fake.test\r\n250 STARTTLS", "250-fake.test\r\n250 8BITMIME"};
    mx_hosts(h, f, dir, "mx", {"unresolvable.far.test", "mx1.far.test"});
    auto n = queue_requiretls(h);
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    auto hdr = h.hdr(n);
    CHECK(hdr.delivery_attempts == 1);
    CHECK_FALSE((hdr.attr & smb::attr::DELETE));
    CHECK(h.notices().empty());
}

TEST_CASE("RFC8689-4.2.1 REQUIRETLS mail and other mail to one domain never share a session",
          "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kOffersAll;
    mx_hosts(h, f, dir, "mx");
    h.queue("plain1@far.test");
    queue_requiretls(h, "secret@far.test");
    h.queue("plain2@far.test");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 3);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 2);
    for (auto& s : ss) {
        bool requiretls = contains(s.commands, "RCPT TO:<secret@far.test>");
        CHECK(has_prefix(s.commands, "MAIL FROM:<John.Doe@bbs.test> REQUIRETLS") == requiretls);
        CHECK(contains(s.commands, "RCPT TO:<plain1@far.test>") == !requiretls);
        CHECK(contains(s.commands, "RCPT TO:<plain2@far.test>") == !requiretls);
    }
}

TEST_CASE("RFC8689-4.2.1 REQUIRETLS to the relay verifies its certificate even with RelayTLSVerify off",
          "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kOffersAll;
    f.cert_file = dir.path + "self.pem";
    f.key_file = dir.path + "self.key";
    h.start_relay(f);
    h.s.relay_tls_verify = false;
    h.s.relay_tls_ca_file = dir.path + "ca.pem";
    auto n = queue_requiretls(h, "bob@remote.example");
    std::string why = bounced_reason(h, f, n);
    CHECK(why.find("5.7.10") != std::string::npos);
}

TEST_CASE("RFC8689-5 the notice of a REQUIRETLS message returns the header only and is itself marked REQUIRETLS",
          "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kOffersAll;
    mx_hosts(h, f, dir, "self");
    queue_requiretls(h);
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    auto notes = h.notices();
    REQUIRE(notes.size() == 1);
    const std::string& body = notes[0].body;   // main's multipart/report, RET=HDRS forced
    CHECK(body.find("Content-Type: text/rfc822-headers") != std::string::npos);
    CHECK(body.find("message/rfc822") == std::string::npos);
    CHECK(body.find("Subject: Greetings") != std::string::npos);   // the rendered header ...
    CHECK(body.find("Secret body") == std::string::npos);          // ... and nothing of the body
    CHECK(body.find("Original message header follows") != std::string::npos);
    CHECK(dsn::envelope_params(notes[0].hdr).requiretls);
    CHECK(notes[0].hdr.get(hf::RECIPIENTEXT) == "1");
}

TEST_CASE("RFC8689-5 other notices still return the whole message and are not marked", "[sendmail][requiretls]") {
    Harness h;
    FakeSmtpServer f;
    f.replies["RCPT"] = {"550 no such user"};
    h.start_relay(f);
    h.queue("bob@remote.example", "Plain body\r\n");
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    auto notes = h.notices();
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].body.find("Content-Type: message/rfc822") != std::string::npos);
    CHECK(notes[0].body.find("Plain body") != std::string::npos);
    CHECK_FALSE(notes[0].hdr.last(hf::DSN_ENVELOPE));
}

TEST_CASE("RFC8689-4.1 RFC8689-3 the TLS a message asks for: REQUIRETLS wins over a TLS-Required: No field",
          "[sendmail][requiretls]") {
    auto with = [](std::vector<std::string> header_lines, bool requiretls) {
        smb::MessageHeader h;
        for (auto& l : header_lines) h.add(hf::RFC822HEADER, l);
        if (requiretls) h.add(hf::DSN_ENVELOPE, "RET=HDRS REQUIRETLS");
        return tls_request(h);
    };
    CHECK(with({}, false) == TlsRequest::Default);
    CHECK(with({"TLS-Required: No"}, false) == TlsRequest::NotRequired);
    CHECK(with({"tls-required:no"}, false) == TlsRequest::NotRequired);
    CHECK(with({"TLS-Required:\r\n\tNO "}, false) == TlsRequest::NotRequired);   // folded
    CHECK(with({"TLS-Required: Yes"}, false) == TlsRequest::Default);           // only "No" is defined
    CHECK(with({"X-TLS-Required: No"}, false) == TlsRequest::Default);
    CHECK(with({}, true) == TlsRequest::Required);
    CHECK(with({"TLS-Required: No"}, true) == TlsRequest::Required);            // 4.1: the field is ignored
    CHECK(session_key("0|mx:25", TlsRequest::Default) == "0|mx:25");
    CHECK(session_key("0|mx:25", TlsRequest::Required) != session_key("0|mx:25", TlsRequest::Default));
    CHECK(session_key("0|mx:25", TlsRequest::NotRequired) != session_key("0|mx:25", TlsRequest::Default));
}

TEST_CASE("RFC8689-4.1 a REQUIRETLS message with TLS-Required: No still needs verified TLS", "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kOffersAll;
    mx_hosts(h, f, dir, "self");
    auto n = queue_requiretls(h);
    h.store.mail[n].hdr.add(hf::RFC822HEADER, "TLS-Required: No");
    std::string why = bounced_reason(h, f, n);
    CHECK(why.find("5.7.10") != std::string::npos);
}

TEST_CASE("RFC8689-4.2.2 TLS-Required: No mail to a self-signed MX is delivered, without REQUIRETLS on MAIL",
          "[sendmail][requiretls]") {
    TempDir dir;
    SKIP_WITHOUT_CERTS(dir);
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kOffersAll;
    mx_hosts(h, f, dir, "self");
    auto n = h.queue("bob@far.test");
    h.store.mail[n].hdr.add(hf::RFC822HEADER, "TLS-Required: No");
    auto ss = h.scan_one_session(f);
    CHECK(ss[0].tls);
    CHECK(contains(ss[0].commands, "MAIL FROM:<John.Doe@bbs.test>"));
}

TEST_CASE("RFC8689-2 EHLO's REQUIRETLS keyword is read", "[sendmail][requiretls]") {
    CHECK(parse_ehlo({"250-fake.test", "250-REQUIRETLS", "250 OK"}).requiretls);
    CHECK(parse_ehlo({"250-fake.test", "250 requiretls"}).requiretls);
    CHECK_FALSE(parse_ehlo({"250-fake.test", "250-STARTTLS", "250 OK"}).requiretls);
}
