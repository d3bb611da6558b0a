// DSN parameters on receive (RFC 3461 4): RET/ENVID on MAIL, NOTIFY/ORCPT on
// RCPT, their 501 replies, and the stored form on each copy (0xD4/0xD5).
#include "harness.h"

#include "dsn/params.h"

#include <catch.hpp>

using namespace smtptest;

namespace {

std::vector<std::string> dsn_session(Harness& h, const std::string& mail, const std::vector<std::string>& rcpts) {
    return h.run(mail_script(mail, rcpts));
}

std::vector<const smb::Message*> stored(const Harness& h) {
    std::vector<const smb::Message*> out;
    for (auto& [n, m] : h.store.mail) out.push_back(&m);
    return out;
}

} // namespace

TEST_CASE("RFC3461-4 SMTP-62 EHLO offers DSN on every port", "[smtp][dsn]") {
    for (Listener l : {Listener::Transfer, Listener::Submission, Listener::TlsSubmission}) {
        Harness h;
        h.listener = l;
        CHECK(has_line(h.run({"EHLO x"}), "250-DSN"));
    }
}

TEST_CASE("RFC3461-4.3 RFC3461-4.4 MAIL takes RET and ENVID, stored with the copy", "[smtp][dsn]") {
    Harness h;
    auto r = dsn_session(h, "<a@remote.org> RET=HDRS ENVID=QQ+2B314 SIZE=100 BODY=8BITMIME", {"<mary@example.com>"});
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
    auto m = stored(h);
    REQUIRE(m.size() == 1);
    CHECK(m[0]->hdr.get(smb::hf::DSN_ENVELOPE) == "RET=HDRS ENVID=QQ+2B314");
    CHECK_FALSE(m[0]->hdr.last(smb::hf::DSN_RECIPIENT));
    auto e = dsn::envelope_params(m[0]->hdr);
    CHECK(e.ret == dsn::Ret::Hdrs);
    CHECK(e.envid == "QQ+314");
}

TEST_CASE("RFC3461-4 a malformed or repeated MAIL parameter is 501 5.5.4 and starts no transaction", "[smtp][dsn]") {
    for (std::string bad : std::vector<std::string>{"RET=BOTH", "RET=FULL RET=HDRS", "ENVID=", "ENVID=a+2g", "ENVID=a ENVID=b",
                            "ENVID=a+0D+0Ab", "ENVID=" + std::string(101, 'x')}) {
        Harness h;
        auto r = h.run({"EHLO x", "MAIL FROM:<a@remote.org> " + bad, "RCPT TO:<mary@example.com>"});
        INFO(bad);
        REQUIRE(r.size() >= 2);
        CHECK(r[r.size() - 2].rfind("501 5.5.4 ", 0) == 0);
        CHECK(r.back() == "503 5.5.1 Bad sequence of commands");      // no MAIL took effect
    }
    Harness kept;                                                       // a refused MAIL leaves the one before
    auto r = kept.run({"EHLO x", "MAIL FROM:<a@remote.org> RET=FULL", "MAIL FROM:<b@remote.org> RET=x",
                       "RCPT TO:<mary@example.com>", "DATA", "Subject: s", "", "b", "."});
    CHECK(r.back() == "250 2.0.0 OK");
    CHECK(stored(kept)[0]->hdr.get(smb::hf::SMTPREVERSEPATH) == "<a@remote.org>");
    CHECK(stored(kept)[0]->hdr.get(smb::hf::DSN_ENVELOPE) == "RET=FULL");
}

TEST_CASE("RFC3461-4.1 RFC3461-4.2 RCPT takes NOTIFY and ORCPT, each copy its own", "[smtp][dsn]") {
    Harness h;
    h.lists.relay_ips.insert("127.0.0.2");
    auto r = dsn_session(h, "<a@remote.org> ENVID=e1",
                         {"<mary@example.com> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Mary+2Bx@example.com",
                          "<far@away.org> NOTIFY=NEVER", "<sysop@example.com>"});
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 250, 250, 354, 250, 221});
    auto m = stored(h);
    REQUIRE(m.size() == 4);   // the three copies, then mary's `delivered` report (local, NOTIFY=SUCCESS)
    CHECK(m[3]->hdr.get(smb::hf::SUBJECT).rfind("Delivered: ", 0) == 0);
    m.pop_back();
    CHECK(m[0]->hdr.get(smb::hf::DSN_RECIPIENT) == "NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Mary+2Bx@example.com");
    CHECK(m[1]->hdr.get(smb::hf::RECIPIENTNETADDR) == "far@away.org");
    CHECK(m[1]->hdr.get(smb::hf::DSN_RECIPIENT) == "NOTIFY=NEVER");
    CHECK_FALSE(m[2]->hdr.last(smb::hf::DSN_RECIPIENT));               // asked for nothing
    for (auto* c : m) CHECK(c->hdr.get(smb::hf::DSN_ENVELOPE) == "ENVID=e1");
    CHECK(dsn::recipient_params(m[0]->hdr).orcpt == "Mary+x@example.com");
}

TEST_CASE("RFC3461-4 a malformed or repeated RCPT parameter is 501 5.5.4; the transaction stays", "[smtp][dsn]") {
    for (std::string bad : std::vector<std::string>{"NOTIFY=NEVER,SUCCESS", "NOTIFY=SOMETIMES", "NOTIFY=", "NOTIFY=DELAY NOTIFY=DELAY",
                            "ORCPT=bob@x", "ORCPT=rfc822;", "ORCPT=rfc822;a+0Ab@x", "ORCPT=rfc822;a@x ORCPT=rfc822;b@x",
                            "ORCPT=utf-8;j\xC3\xBCrgen@x"}) {
        Harness h;
        auto r = h.run(mail_script("<a@remote.org>", {"<mary@example.com> " + bad, "<sysop@example.com>"}));
        INFO(bad);
        CHECK(codes(r) == std::vector<int>{220, 250, 250, 501, 250, 354, 250, 221});
        auto m = stored(h);
        REQUIRE(m.size() == 1);                                         // only the good recipient
        CHECK(m[0]->hdr.get(smb::hf::RECIPIENTEXT) == "1");
    }
}

TEST_CASE("RFC3461-4.2 RFC6533-3 an ORCPT with the utf-8 addr-type under SMTPUTF8", "[smtp][dsn][utf8]") {
    Harness h;
    auto r = dsn_session(h, "<a@remote.org> SMTPUTF8",
                         {"<mary@example.com> ORCPT=utf-8;j\xC3\xBCrgen@b\xC3\xBC" "cher.example NOTIFY=FAILURE"});
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
    auto m = stored(h);
    REQUIRE(m.size() == 1);
    CHECK(m[0]->hdr.get(smb::hf::DSN_RECIPIENT) == "NOTIFY=FAILURE ORCPT=utf-8;j\\x{FC}rgen@b\\x{FC}cher.example");
    Harness x;                                                           // the ASCII form needs no SMTPUTF8
    dsn_session(x, "<a@remote.org>", {"<mary@example.com> ORCPT=utf-8;j\\x{FC}rgen@x"});
    REQUIRE(stored(x).size() == 1);
    CHECK(dsn::recipient_params(stored(x)[0]->hdr).orcpt == "j\xC3\xBCrgen@x");
}

TEST_CASE("RFC3461-4.2 an ORCPT holding '<' does not become the recipient (SMTP-104)", "[smtp][dsn]") {
    Harness h;
    dsn_session(h, "<a@remote.org>", {"<mary@example.com> ORCPT=rfc822;<sysop@example.com>"});
    auto m = stored(h);
    REQUIRE(m.size() == 1);
    CHECK(m[0]->hdr.get(smb::hf::RECIPIENTEXT) == "3");
    Harness loose;                                                       // SMTP-104's loose form is unchanged
    dsn_session(loose, "<a@remote.org>", {"Mary Smith <mary@example.com>"});
    REQUIRE(stored(loose).size() == 1);
    CHECK(stored(loose)[0]->hdr.get(smb::hf::RECIPIENTEXT) == "3");
}

TEST_CASE("RFC3461-4.2 SMTP-104 SMTP-212 the forward path stored and in Received is the path, not its parameters",
          "[smtp][dsn]") {
    Harness h;
    dsn_session(h, "<a@remote.org>", {"<mary@example.com> ORCPT=rfc822;mary@example.com XFOO=1"});
    REQUIRE(stored(h).size() == 1);
    const auto& hdr = stored(h)[0]->hdr;
    CHECK(hdr.get(smb::hf::SMTPFORWARDPATH) == "<mary@example.com>");
    CHECK(hdr.get(smb::hf::SMTPRECEIVED).find("for <mary@example.com>; ") != std::string::npos);
    CHECK(hdr.get(smb::hf::DSN_RECIPIENT) == "ORCPT=rfc822;mary@example.com");
}

TEST_CASE("RFC3461-4 forwarded and aliased copies keep their RCPT's parameters", "[smtp][dsn]") {
    Harness fw;                                                          // SMTP-151
    fw.cfg->sys.settings |= SystemSettings::SYS_FWDTONET;
    fw.users.users[3].netmail = "m@out.org";
    fw.users.users[3].misc |= User::MISC_NETMAIL;
    dsn_session(fw, "<a@remote.org> RET=FULL", {"<mary@example.com> NOTIFY=SUCCESS"});
    REQUIRE(stored(fw).size() == 1);
    CHECK(stored(fw)[0]->hdr.get(smb::hf::RECIPIENTNETADDR) == "m@out.org");
    CHECK(stored(fw)[0]->hdr.get(smb::hf::DSN_RECIPIENT) == "NOTIFY=SUCCESS");
    CHECK(stored(fw)[0]->hdr.get(smb::hf::DSN_ENVELOPE) == "RET=FULL");
    Harness al;                                                          // SMTP-116: an alias to a remote address
    al.lists.aliases["info@example.com"] = "boss@elsewhere.org";
    dsn_session(al, "<a@remote.org>", {"<info@example.com> NOTIFY=FAILURE ORCPT=rfc822;info@example.com"});
    REQUIRE(stored(al).size() == 1);
    CHECK(stored(al)[0]->hdr.get(smb::hf::RECIPIENTNETADDR) == "boss@elsewhere.org");
    CHECK(stored(al)[0]->hdr.get(smb::hf::DSN_RECIPIENT) == "NOTIFY=FAILURE ORCPT=rfc822;info@example.com");
}

TEST_CASE("RFC3461-4 mail that asks for nothing is stored exactly as before", "[smtp][dsn]") {
    Harness h;
    dsn_session(h, "<a@remote.org>", {"<mary@example.com>"});
    REQUIRE(stored(h).size() == 1);
    for (auto& f : stored(h)[0]->hdr.fields) {
        CHECK(f.type != smb::hf::DSN_ENVELOPE);
        CHECK(f.type != smb::hf::DSN_RECIPIENT);
    }
}

TEST_CASE("RFC8689-4.1 RFC3461-4 REQUIRETLS: 530 5.7.10 outside TLS; inside, one 0xD4 field with RET/ENVID", "[smtp][dsn]") {
    Harness plain;
    auto r = dsn_session(plain, "<a@remote.org> RET=HDRS REQUIRETLS", {"<mary@example.com>"});
    CHECK(has_line(r, "530 5.7.10 REQUIRETLS needs a TLS session: issue STARTTLS first"));
    CHECK(stored(plain).empty());
    Harness tls;
    tls.extras.tls_available = true;
    auto script = mail_script("<a@remote.org> RET=HDRS ENVID=e7 REQUIRETLS", {"<mary@example.com> NOTIFY=FAILURE"});
    script.insert(script.begin() + 1, {"STARTTLS", "EHLO x"});   // the MAIL inside TLS
    tls.run(script);
    auto m = stored(tls);
    REQUIRE(m.size() == 1);
    size_t envelopes = 0;   // one dsn::store per copy: RET/ENVID and REQUIRETLS in one field
    for (auto& f : m[0]->hdr.fields) envelopes += f.type == smb::hf::DSN_ENVELOPE;
    CHECK(envelopes == 1);
    CHECK(m[0]->hdr.get(smb::hf::DSN_ENVELOPE) == "RET=HDRS ENVID=e7 REQUIRETLS");
    CHECK(m[0]->hdr.get(smb::hf::DSN_RECIPIENT) == "NOTIFY=FAILURE");
}
