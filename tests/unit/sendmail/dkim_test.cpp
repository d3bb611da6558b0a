// DKIM signing: canonicalisation, and signatures checked by an independent
// verifier (Debian's python3-dkim) against the test's public key.
#include "harness.h"

#include "sendmail/dkim.h"

#include "skip.h"

#include <catch.hpp>
#include <cstdio>
#include <unistd.h>

using namespace sbbs;
using namespace sbbs::test;

namespace {

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    if (pclose(p) != 0) return "";
    return out;
}

// A key pair made with the openssl command; "" when that is not possible.
std::string make_key(const std::string& path, bool ed25519) {
    std::string gen = ed25519 ? "openssl genpkey -algorithm ed25519 -out " + path
                              : "openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out " + path;
    if (std::system((gen + " 2>/dev/null").c_str()) != 0) return {};
    // p= is the DER public key for RSA, the raw 32 bytes for Ed25519.
    std::string pub = "openssl pkey -in " + path + " -pubout -outform DER 2>/dev/null";
    if (ed25519) pub += " | tail -c 32";
    std::string b64 = run(pub + " | base64 -w0");
    return b64;
}

// Debian's interpreter, where python3-dkim lives (not a pyenv shim).
std::string python() { return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3"; }
bool have_verifier() { return std::system((python() + " -c 'import dkim' 2>/dev/null").c_str()) == 0; }
bool have_ed25519_verifier() {
    return std::system((python() + " -c 'import nacl.signing' 2>/dev/null").c_str()) == 0;
}

// True when python3-dkim verifies `message` with the TXT record `txt`.
bool verifies(const TempDir& dir, const std::string& message, const std::string& txt) {
    { std::ofstream(dir.path + "msg.eml", std::ios::binary) << message; }
    { std::ofstream(dir.path + "txt") << txt; }
    std::ofstream(dir.path + "verify.py")
        << "import dkim, sys\n"
           "msg = open(sys.argv[1], 'rb').read()\n"
           "txt = open(sys.argv[2], 'rb').read()\n"
           "ok = dkim.verify(msg, dnsfunc=lambda name, timeout=5: txt)\n"
           "sys.exit(0 if ok else 1)\n";
    return std::system((python() + " " + dir.path + "verify.py " + dir.path + "msg.eml " + dir.path + "txt").c_str()) == 0;
}

std::string unstuff(const std::string& data) {
    std::string out;
    size_t pos = 0;
    while (pos < data.size()) {
        size_t nl = data.find("\r\n", pos);
        std::string line = data.substr(pos, nl - pos);
        if (line.rfind("..", 0) == 0) line.erase(0, 1);
        out += line + "\r\n";
        pos = nl + 2;
    }
    return out;
}

std::string sample_message() {
    return "From: \"John Doe\" <John.Doe@bbs.test>\r\n"
           "To: bob@remote.example\r\n"
           "Subject: signed   mail\r\n"
           "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n"
           "Message-ID: <1.2@bbs.test>\r\n"
           "X-Other: not signed\r\n"
           "Content-Type: multipart/mixed;\r\n boundary=\"--==_b\"\r\n"
           "\r\n"
           "Hello  there \r\n"
           ".a line with a dot\r\n"
           "\r\n\r\n";
}

// A rendering with a From (DKIM signs nothing without one).
std::string render_from_john(const smb::Message& m) {
    return "From: \"John Doe\" <John.Doe@bbs.test>\r\nSubject: " + m.hdr.get(smb::hf::SUBJECT) + "\r\n\r\n" + m.body;
}
// The DATA a receiver gets of `body` sent by SendMail signing as d=bbs.test,
// s=mail (the test makes ctrl/dkim_mail.pem).
std::string send_signed(Harness& h, const std::string& body) {
    h.s.dkim_sign = true;
    h.s.dkim_domain = "bbs.test";
    h.s.dkim_selector = "mail";
    FakeSmtpServer f;
    h.start_relay(f);
    h.queue("bob@remote.example", body);
    SendMailDeps d{h.store, h.dns, *h.connector, render_from_john, h.log};
    d.dkim = load_dkim(h.s, h.log);
    REQUIRE(d.dkim);
    SendMail sm(h.s, d);
    CHECK(sm.scan(true).sent == 1);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 1);
    return ss[0].data;
}

} // namespace

TEST_CASE("SEND-76 relaxed canonicalisation (RFC 6376 3.4.5 example)", "[sendmail]") {
    CHECK(dkim::relaxed_header("A: X") == "a:X");
    CHECK(dkim::relaxed_header("B : Y\t\r\n\tZ  ") == "b:Y Z");
    CHECK(dkim::relaxed_body(" C \r\nD \t E\r\n\r\n\r\n") == " C\r\nD E\r\n");
    CHECK(dkim::relaxed_body("") == "");
    CHECK(dkim::relaxed_body("\r\n\r\n") == "");
}

TEST_CASE("SEND-74 SEND-75 SEND-78 the signature header names the signed fields and verifies (RSA)", "[sendmail]") {
    TempDir dir;
    std::string pub = make_key(dir.path + "dkim_mail.pem", false);
    if (pub.empty()) SBBS_SKIP("the openssl command is not available");
    auto signer = DkimSigner::load(dir.path + "dkim_mail.pem", "bbs.test", "mail");
    REQUIRE(signer.ok());
    std::string msg = sample_message();
    auto sig = (*signer)->sign(msg, 1790000000);
    REQUIRE(sig.ok());
    CHECK(sig->rfind("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n\td=bbs.test; s=mail; t=1790000000;\r\n"
                     "\th=From:To:Subject:Date:Message-ID:Content-Type;\r\n\tbh=", 0) == 0);
    if (!have_verifier()) SBBS_SKIP("verification: python3-dkim not installed");
    CHECK(verifies(dir, *sig + msg, "v=DKIM1; k=rsa; p=" + pub));
    CHECK_FALSE(verifies(dir, *sig + msg + "tampered\r\n", "v=DKIM1; k=rsa; p=" + pub));
}

TEST_CASE("SEND-71 ours: an Ed25519 key signs ed25519-sha256 (RFC 8463)", "[sendmail]") {
    TempDir dir;
    std::string pub = make_key(dir.path + "ed.pem", true);
    if (pub.empty()) SBBS_SKIP("the openssl command is not available");
    auto signer = DkimSigner::load(dir.path + "ed.pem", "bbs.test", "ed");
    REQUIRE(signer.ok());
    CHECK((*signer)->ed25519());
    auto sig = (*signer)->sign(sample_message(), 1790000000);
    REQUIRE(sig.ok());
    CHECK(sig->find("a=ed25519-sha256;") != std::string::npos);
    if (!have_verifier() || !have_ed25519_verifier()) SBBS_SKIP("verification: python3-dkim/nacl missing");
    CHECK(verifies(dir, *sig + sample_message(), "v=DKIM1; k=ed25519; p=" + pub));
}

TEST_CASE("SEND-77 a message without From is sent unsigned", "[sendmail]") {
    TempDir dir;
    if (make_key(dir.path + "k.pem", false).empty()) SBBS_SKIP("the openssl command is not available");
    auto signer = DkimSigner::load(dir.path + "k.pem", "bbs.test", "mail");
    REQUIRE(signer.ok());
    CHECK_FALSE((*signer)->sign("Subject: x\r\n\r\nbody\r\n", 0).ok());
}

TEST_CASE("SEND-72 SEND-73 SendMail signs what it sends; the receiver's copy verifies", "[sendmail]") {
    Harness h;
    std::string pub = make_key(h.ctrl.path + "dkim_mail.pem", false);
    if (pub.empty()) SBBS_SKIP("the openssl command is not available");
    std::string data = send_signed(h, "Body line\r\n.dot line\r\n");
    CHECK(h.log.has(LogLevel::Info, "DKIM signing enabled (d=bbs.test s=mail)"));
    CHECK(data.rfind("DKIM-Signature: v=1; a=rsa-sha256;", 0) == 0);
    if (!have_verifier()) SBBS_SKIP("verification: python3-dkim not installed");
    TempDir dir;
    CHECK(verifies(dir, unstuff(data), "v=DKIM1; k=rsa; p=" + pub));
}

TEST_CASE("SEND-71 a key that cannot be loaded logs an error and mail goes unsigned", "[sendmail]") {
    Harness h;
    h.s.dkim_sign = true;
    h.s.dkim_domain = "bbs.test";
    CHECK(load_dkim(h.s, h.log) == nullptr);
    CHECK(h.log.has(LogLevel::Error, "!DKIM signing enabled but failed to load key '" + h.ctrl.path +
                                         "dkim_mail.pem' - sending unsigned"));
}

TEST_CASE("SEC-2 SEND-72 a body with bare CR and bare LF is signed as it is sent: the receiver's copy verifies",
          "[sendmail]") {
    Harness h;
    std::string pub = make_key(h.ctrl.path + "dkim_mail.pem", false);
    if (pub.empty()) SBBS_SKIP("the openssl command is not available");
    std::string data = send_signed(h, "ANSI over\r____print\r\nbare\nLF\n.dot\rlast without end");
    CHECK(data.find("\r\nANSI over\r\n____print\r\nbare\r\nLF\r\n..dot\r\nlast without end\r\n") !=
          std::string::npos);
    if (!have_verifier()) SBBS_SKIP("verification: python3-dkim not installed");
    TempDir dir;
    CHECK(verifies(dir, unstuff(data), "v=DKIM1; k=rsa; p=" + pub));
}
