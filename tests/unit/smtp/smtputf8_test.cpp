// SMTPUTF8 on receive (RFC 6531, RFC 6532) and USER-10: UTF-8 recipients
// against CP437 user names, IDNA domains, UTF-8 header fields.
#include "harness.h"

#include "util/base64.h"

#include <catch.hpp>

using namespace smtptest;

namespace {

// "Jürgen Müller" as user.tab holds it (CP437: ü = 0x81).
const char* const kCp437RealName = "J\x81rgen M\x81ller";

std::string rcpt_reply(Harness& h, const std::string& rcpt, const std::string& mail_params) {
    auto r = h.run({"EHLO x", "MAIL FROM:<a@remote.org>" + mail_params, "RCPT TO:" + rcpt});
    return r.back();
}

const smb::Message& only_message(Harness& h) {
    REQUIRE(h.store.mail.size() == 1);
    return h.store.mail.begin()->second;
}

} // namespace

TEST_CASE("RFC6531-1 EHLO lists SMTPUTF8 and MAIL takes the parameter", "[smtp][utf8]") {
    Harness h;
    auto r = h.run({"EHLO x", "MAIL FROM:<j\xc3\xbcrgen@remote.org> SMTPUTF8 BODY=8BITMIME"});
    CHECK(has_line(r, "250-SMTPUTF8"));
    CHECK(r.back() == "250 2.1.0 OK");
}

TEST_CASE("RFC6531-2 USER-10 an SMTPUTF8 local part finds the CP437 real name", "[smtp][utf8]") {
    auto harness = [] {
        auto h = std::make_unique<Harness>();
        h->cfg->msgs.settings |= MsgsSettings::MM_REALNAME;
        h->users.add(4, "Juergen", "pw").name = kCp437RealName;
        return h;
    };
    auto h = harness();
    CHECK(rcpt_reply(*h, "<j\xc3\xbcrgen.m\xc3\xbcller@example.com>", " SMTPUTF8") == "250 2.1.5 OK");
    auto d = harness();
    d->run(mail_script("<a@remote.org> SMTPUTF8", {"<J\xc3\xbcrgen.M\xc3\xbcller@example.com>"}));
    CHECK(only_message(*d).hdr.get(smb::hf::RECIPIENTEXT) == "4");
    // Without the parameter a UTF-8 address is refused (RFC 6531 3.7.4.1) ...
    auto o = harness();
    CHECK(rcpt_reply(*o, "<j\xc3\xbcrgen.m\xc3\xbcller@example.com>", "") ==
          "553 5.6.7 Non-ASCII address requires the SMTPUTF8 parameter");
    CHECK(o->run({"EHLO x", "MAIL FROM:<j\xc3\xbcrgen@remote.org>"}).back() ==
          "553 5.6.7 Non-ASCII address requires the SMTPUTF8 parameter");
    // ... while 8-bit bytes that are not UTF-8 (a legacy client) keep the original's rules.
    auto l = harness();
    CHECK(rcpt_reply(*l, "<j\xfcrgen.m\xfcller@example.com>", "") ==
          "550 5.1.1 Unknown User: <j\xfcrgen.m\xfcller@example.com>");
}

TEST_CASE("RFC6531-3 USER-10 a UTF-8 local part finds an alias.cfg entry written in CP437", "[smtp][utf8]") {
    Harness h;
    h.lists.aliases["s\x81\xe1"] = "Mary";                 // "süß" in CP437
    CHECK(rcpt_reply(h, "<s\xc3\xbc\xc3\x9f@example.com>", " SMTPUTF8") == "250 2.1.5 OK");
    Harness o;
    o.lists.aliases["s\x81\xe1"] = "Mary";
    CHECK(rcpt_reply(o, "<s\xc3\xbc\xc3\x9f@example.com>", "").rfind("553 5.6.7", 0) == 0);
}

TEST_CASE("RFC6531-4 a name CP437 cannot write never matches through '?'", "[smtp][utf8]") {
    Harness h;
    h.users.add(4, "?", "pw");                             // would match a lossy '?' conversion
    h.cfg->msgs.settings |= MsgsSettings::MM_REALNAME;
    h.users.users[4].name = "?";
    std::string r = rcpt_reply(h, "<\xd0\xb6@example.com>", " SMTPUTF8");   // "ж"
    INFO(r);
    CHECK(r.rfind("550 5.1.1", 0) == 0);
}

TEST_CASE("RFC6531-5 our domains match in U-label and A-label form", "[smtp][utf8]") {
    Harness h;                                             // configured as U-labels, asked as A-labels
    h.cfg->msgs.inet_addr = "b\xc3\xbc" "cher.example";
    CHECK(rcpt_reply(h, "<mary@xn--bcher-kva.example>", "") == "250 2.1.5 OK");
    Harness a;                                             // domains.cfg with A-labels, asked as U-labels
    a.lists.domains.insert("xn--bcher-kva.example");
    CHECK(rcpt_reply(a, "<mary@B\xc3\xbc" "cher.example>", " SMTPUTF8") == "250 2.1.5 OK");
    Harness u;                                             // host name with upper-case U-labels
    u.cfg->mail.host_name = "B\xc3\x9c" "CHER.example";
    CHECK(rcpt_reply(u, "<mary@b\xc3\xbc" "cher.example>", " SMTPUTF8") == "250 2.1.5 OK");
    Harness o;                                             // without SMTPUTF8: a UTF-8 domain is refused
    o.lists.domains.insert("xn--bcher-kva.example");
    CHECK(rcpt_reply(o, "<mary@b\xc3\xbc" "cher.example>", "").rfind("553 5.6.7", 0) == 0);
}

TEST_CASE("RFC6532-1 FMT-33 UTF-8 header fields are stored raw with MSG_HFIELDS_UTF8", "[smtp][utf8]") {
    std::vector<std::string> msg{"From: Alice <alice@remote.org>", "To: J\xc3\xbcrgen <mary@example.com>",
                                 "Subject: hi", "", "Hallo", "."};
    Harness h;
    h.run(mail_script("<a@remote.org> SMTPUTF8", {"<mary@example.com>"}, msg));
    const auto& m = only_message(h);
    CHECK(m.hdr.get(smb::hf::RECIPIENT) == "J\xc3\xbcrgen");
    CHECK((m.hdr.auxattr & smb::auxattr::HFIELDS_UTF8) != 0);
    Harness s;                                             // a UTF-8 subject, raw
    msg[2] = "Subject: Gr\xc3\xbc\xc3\x9f" "e";
    s.run(mail_script("<a@remote.org> SMTPUTF8", {"<mary@example.com>"}, msg));
    CHECK(only_message(s).hdr.get(smb::hf::SUBJECT) == "Gr\xc3\xbc\xc3\x9f" "e");
    CHECK((only_message(s).hdr.auxattr & smb::auxattr::HFIELDS_UTF8) != 0);
}

TEST_CASE("RFC6531-11 SMTP-97 a submitter may use its own UTF-8 address, not a look-alike's", "[smtp][utf8]") {
    auto harness = [] {
        auto h = std::make_unique<Harness>();
        h->listener = Listener::Submission;
        h->users.add(4, "J\x81rgen", "pw4");                 // "Jürgen", first in the user base
        h->users.add(5, "J\x94rgen", "pw5");                 // "Jörgen": USER-19 folds both to "jrgen"
        return h;
    };
    const std::string auth = "AUTH PLAIN " + base64_encode(std::string("\0jrgen\0pw4", 10));
    auto own = harness();
    auto r = own->run({"EHLO x", auth, "MAIL FROM:<j\xc3\xbcrgen@example.com> SMTPUTF8"});
    REQUIRE(own->auth_user == 4);
    CHECK(r.back() == "250 2.1.0 OK");
    auto other = harness();
    r = other->run({"EHLO x", auth, "MAIL FROM:<j\xc3\xb6rgen@example.com> SMTPUTF8"});
    CHECK(r.back().rfind("550 5.7.1 Sender address <j\xc3\xb6rgen@example.com> not authorized", 0) == 0);
}
