// RFC 6856: the POP3 UTF8 command and what it changes in RETR (raw UTF-8
// header fields instead of RFC 2047 encoded-words); nothing without it.
#include "message_builders.h"
#include "pop3_fixture.h"

#include <catch.hpp>

#include <algorithm>

using namespace sbbs;
using test::Pop3Fixture;

namespace {

// Local mail for Alice whose subject and sender name are not ASCII:
// UTF-8 with MSG_HFIELDS_UTF8, or CP437 without it (FMT-33).
void deliver_accented(Pop3Fixture& f, bool utf8) {
    NewMessage m;
    smb::Message lm = test::local_mail();
    m.hdr = lm.hdr;
    m.hdr.fields.clear();
    m.hdr.add(smb::hf::SENDER, utf8 ? "J\xc3\xbcrgen" : "J\x81rgen");
    m.hdr.add(smb::hf::SENDEREXT, "1");
    m.hdr.add(smb::hf::RECIPIENT, "Alice");
    m.hdr.add(smb::hf::SUBJECT, utf8 ? "Gr\xc3\xbc\xc3\x9f" "e" : "Gr\x81\xe1" "e");
    if (utf8) m.hdr.auxattr |= smb::auxattr::HFIELDS_UTF8;
    m.body = lm.body;
    RecipientCopy c;
    c.append.push_back({smb::hf::RECIPIENTEXT, "2"});
    REQUIRE(f.store.add_mail(m, {c}).ok());
}

std::string line_starting(const std::vector<std::string>& lines, const std::string& head) {
    auto it = std::find_if(lines.begin(), lines.end(), [&](auto& l) { return l.rfind(head, 0) == 0; });
    return it == lines.end() ? std::string() : *it;
}

// Octets of the RETR reply's message (between "+OK" and "."), CR LF counted.
size_t retr_octets(const std::vector<std::string>& lines, const std::string& first) {
    auto it = std::find_if(lines.begin(), lines.end(), [&](auto& l) { return l.rfind(first, 0) == 0; });
    size_t n = 0;
    for (++it; it != lines.end() && *it != "."; ++it) n += it->size() + 2;
    return n;
}

} // namespace

TEST_CASE("RFC6856-2 after UTF8 header fields go out raw UTF-8, sizes still exact", "[pop3][utf8]") {
    for (bool stored_utf8 : {true, false}) {
        Pop3Fixture f;
        deliver_accented(f, stored_utf8);
        auto out = f.run({"UTF8", "USER Alice", "PASS Secret", "LIST 1", "RETR 1", "QUIT"});
        CHECK(out[1] == "+OK UTF8 enabled");
        CHECK(line_starting(out, "Subject: ") == "Subject: Gr\xc3\xbc\xc3\x9f" "e");
        CHECK(line_starting(out, "From: ").rfind("From: \"J\xc3\xbcrgen\" <", 0) == 0);
        CHECK(out[4] == "+OK 1 " + std::to_string(retr_octets(out, "+OK message follows")));
    }
}

TEST_CASE("RFC6856-3 without UTF8 the original's encoded-words stay", "[pop3][utf8]") {
    Pop3Fixture f;
    deliver_accented(f, true);
    auto out = f.run({"USER Alice", "PASS Secret", "RETR 1", "QUIT"});
    CHECK(line_starting(out, "Subject: ") == "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=");
    INFO(line_starting(out, "From: "));
    CHECK(line_starting(out, "From: ").find("=?utf-8?q?") != std::string::npos);
}

TEST_CASE("RFC6856-4 UTF8 is an AUTHORIZATION-state command only", "[pop3][utf8]") {
    Pop3Fixture f;
    deliver_accented(f, true);
    auto out = f.run({"USER Alice", "PASS Secret", "UTF8", "RETR 1", "QUIT"});
    CHECK(out[3].rfind("-ERR", 0) == 0);
    CHECK(line_starting(out, "Subject: ") == "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=");
}
