// SEC-6: the relay password never goes out in clear unless the sysop opts in
// (RelayAuthWithoutTLS), and STARTTLS to the relay verifies its certificate
// and name unless relaxed (RelayTLSVerify); MX hosts stay opportunistic.
#include "harness.h"

#include <catch.hpp>

#include <cstdlib>
#include <fstream>

using namespace sbbs;
using namespace sbbs::test;

namespace {
bool sent_auth(const FakeSmtpServer& f) {
    for (auto& s : f.sessions())
        for (auto& c : s.commands)
            if (c.rfind("AUTH", 0) == 0) return true;
    return false;
}
void relay_with_auth(Harness& h, FakeSmtpServer& f) {
    h.start_relay(f);
    h.s.options |= mail_opt::RELAY_AUTH_PLAIN;
    h.s.relay_username = "relayuser";
    h.s.relay_password = "s3cret";
}
bool run(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0; }

// A self-signed certificate, and one for "relay.test" and 127.0.0.1 issued by
// a test CA, in `dir`; false when the openssl command is missing.
bool make_certs(const std::string& dir) {
    std::ofstream(dir + "san.ext") << "subjectAltName=DNS:relay.test,IP:127.0.0.1\n";
    return run("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
               " -days 1 -keyout " + dir + "self.key -out " + dir + "self.pem") &&
           run("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=Test-CA -days 1 -keyout " + dir +
               "ca.key -out " + dir + "ca.pem") &&
           run("openssl req -new -newkey rsa:2048 -nodes -subj /CN=relay-ca-issued -keyout " + dir + "relay.key -out " +
               dir + "relay.csr") &&
           run("openssl x509 -req -in " + dir + "relay.csr -CA " + dir + "ca.pem -CAkey " + dir +
               "ca.key -CAcreateserial -days 1 -extfile " + dir + "san.ext -out " + dir + "relay.pem");
}
void offer_tls(FakeSmtpServer& f, const std::string& dir, const std::string& name) {
    f.ehlo = {"250-fake.test", "250-STARTTLS", "250 AUTH PLAIN"};
    f.cert_file = dir + name + ".pem";
    f.key_file = dir + name + ".key";
}
// `f`, offering STARTTLS with a self-signed certificate, as the relay
// requiring AUTH; false when no certificate could be made.
bool self_signed_relay(Harness& h, FakeSmtpServer& f, const TempDir& tmp) {
    if (!make_certs(tmp.path)) return false;
    offer_tls(f, tmp.path, "self");
    relay_with_auth(h, f);
    return true;
}
} // namespace

TEST_CASE("SEC-6 SEND-54 no AUTH line ever reaches a relay without STARTTLS; retried later, the log says why",
          "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    relay_with_auth(h, f);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK_FALSE(sent_auth(f));
    auto hdr = h.hdr(n);
    CHECK(hdr.delivery_attempts == 1);
    CHECK_FALSE((hdr.attr & smb::attr::DELETE));
    CHECK(h.notices().empty());
    CHECK(h.log.has(LogLevel::Warning, "!NOT sending AUTH to 127.0.0.1 without TLS"));
    CHECK(h.log.has("RelayAuthWithoutTLS"));
}

TEST_CASE("SEC-6 SEND-50 a relay refusing STARTTLS gets no AUTH either", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = {"250-fake.test", "250 STARTTLS"};
    f.replies["STARTTLS"] = {"454 TLS not available"};
    relay_with_auth(h, f);
    h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK_FALSE(sent_auth(f));
}

TEST_CASE("SEC-6 with RelayAuthWithoutTLS the sysop's opt-in sends AUTH in plain text", "[sendmail]") {
    Harness h;
    FakeSmtpServer f;
    relay_with_auth(h, f);
    h.s.relay_auth_without_tls = true;
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(sent_auth(f));
    CHECK_FALSE(ss[0].tls);
}

TEST_CASE("SEC-6 a relay with a self-signed certificate is refused by default and gets no AUTH", "[sendmail]") {
    TempDir tmp;
    Harness h;
    FakeSmtpServer f;
    if (!self_signed_relay(h, f, tmp)) { WARN("skipped: the openssl command is not available"); return; }
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK_FALSE(sent_auth(f));
    for (auto& s : f.sessions()) CHECK_FALSE(s.tls);
    CHECK(h.log.has(LogLevel::Warning, "certificate not accepted"));
    CHECK(h.hdr(n).delivery_attempts == 1);
}

TEST_CASE("SEC-6 with RelayTLSVerify off a self-signed relay is accepted and AUTH goes over TLS", "[sendmail]") {
    TempDir tmp;
    Harness h;
    FakeSmtpServer f;
    if (!self_signed_relay(h, f, tmp)) { WARN("skipped: the openssl command is not available"); return; }
    h.s.relay_tls_verify = false;
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(ss[0].tls);
    CHECK(sent_auth(f));
}

TEST_CASE("SEC-6 a relay certificate from a trusted CA is accepted for its name and address, refused for another name",
          "[sendmail]") {
    TempDir tmp;
    if (!make_certs(tmp.path)) { WARN("skipped: the openssl command is not available"); return; }
    for (auto [server, ok] : {std::pair{"127.0.0.1", true}, std::pair{"relay.test", true},
                              std::pair{"other.test", false}, std::pair{"[127.0.0.1]", true}}) {
        INFO(server);
        Harness h;
        FakeSmtpServer f;
        offer_tls(f, tmp.path, "relay");
        relay_with_auth(h, f);
        h.s.relay_server = server;
        h.s.relay_tls_ca_file = tmp.path + "ca.pem";
        h.dns.hosts["relay.test"] = "127.0.0.1";
        h.dns.hosts["other.test"] = "127.0.0.1";
        h.queue("bob@remote.example");
        auto sm = h.make();
        auto st = sm.scan(true);
        CHECK(st.sent == (ok ? 1u : 0u));
        CHECK(sent_auth(f) == ok);
        REQUIRE_FALSE(f.sessions().empty());
        CHECK(f.sessions()[0].tls == ok);
    }
}

TEST_CASE("SEC-6 SEND-49 STARTTLS to an MX host stays opportunistic: a self-signed certificate is used",
          "[sendmail]") {
    TempDir tmp;
    if (!make_certs(tmp.path)) { WARN("skipped: the openssl command is not available"); return; }
    Harness h;
    FakeSmtpServer f;
    offer_tls(f, tmp.path, "self");
    f.start();
    h.implicit_mx_to(f, "plain.example");
    h.queue("bob@plain.example");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    REQUIRE(f.sessions().size() == 1);
    CHECK(f.sessions()[0].tls);
}
