// Header lines generated from stored fields, in the original's order.
#include "mailfmt/render_parts.h"
#include "unit/pop3/message_builders.h"

#include <catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace sbbs;
using sbbs::test::local_mail;
using sbbs::test::internet_mail;
using sbbs::test::test_context;

namespace {
std::vector<std::string> headers(const smb::Message& m) { return render::header_lines(m, test_context()); }

std::string header(const smb::Message& m, const std::string& name) {
    for (auto& l : render_message(m, test_context()).header)
        if (l.rfind(name + ": ", 0) == 0) return l.substr(name.size() + 2);
    return "<absent>";
}

size_t index_of(const std::vector<std::string>& lines, const std::string& prefix) {
    for (size_t i = 0; i < lines.size(); ++i)
        if (lines[i].rfind(prefix, 0) == 0) return i;
    return lines.size();
}
} // namespace

TEST_CASE("POP3-83 local mail header lines in the original's order", "[render]") {
    auto h = headers(local_mail());
    REQUIRE(h.size() == 7);
    CHECK(h[0] == "Date: Thu, 1 Jan 2026 09:30:05 -0500");
    CHECK(h[1] == "From: \"Sysop\" <Sysop@bbs.example.com>");
    CHECK(h[2] == "Organization: Fixture BBS");
    CHECK(h[3] == "Subject: Welcome");
    CHECK(h[4] == "To: Alice");
    CHECK(h[5] == "Message-ID: <695684ED.1@bbs.example.com>");
    CHECK(h[6] == "X-Originator-Info: account=1; login-id=(null); server=(null); client=(null); "
                  "addr=(null); prot=(null); port=(null); time=(null)");
}

TEST_CASE("POP3-83 Internet mail keeps Return-Path, Received and stored header lines", "[render]") {
    auto h = headers(internet_mail());
    CHECK(h[0] == "Return-Path: <bob@remote.example>");
    CHECK(h[1] == "Received: from mx.remote.example\r\n\tby bbs.example.com; Thu, 1 Jan 2026");
    CHECK(h[2] == "Date: Thu, 1 Jan 2026 02:00:00 -0800");
    CHECK(h[3] == "From: Bob Remote <bob@remote.example>");
    CHECK(h[4] == "Subject: Greetings");        // no Organization: Internet sender
    CHECK(h[5] == "To: alice@bbs.example.com");
    CHECK(h[6] == "Message-ID: <1@remote.example>");
    CHECK(h[7] == "MIME-Version: 1.0");
    CHECK(h[8] == "Content-Type: text/plain; charset=ISO-8859-1");
    CHECK(h.size() == 9);
}

TEST_CASE("POP3-83 Return-Path falls back to the Internet sender address", "[render]") {
    auto m = internet_mail();
    m.hdr.fields.erase(std::remove_if(m.hdr.fields.begin(), m.hdr.fields.end(),
                                      [](auto& f) { return f.type == smb::hf::SMTPREVERSEPATH; }),
                       m.hdr.fields.end());
    CHECK(headers(m)[0] == "Return-Path: bob@remote.example");
    CHECK(headers(local_mail())[0].rfind("Return-Path", 0) != 0);
}

TEST_CASE("POP3-83 optional lines: Cc, In-Reply-To, X-Priority, X-Originator-Info, FTN", "[render]") {
    auto m = local_mail();
    m.hdr.add(smb::hf::SMB_CARBONCOPY, "Carol");
    m.hdr.add(smb::hf::RFC822REPLYID, "<0@x>");
    m.hdr.priority = 2;
    m.hdr.add(smb::hf::SENDERIPADDR, "10.0.0.1");
    m.hdr.add(smb::hf::SENDERPROTOCOL, "Telnet");
    m.hdr.add(0xA0, "CHRS: CP437 2");
    m.hdr.add(0xA6, "SBBS 3.22");
    auto h = headers(m);
    CHECK(h[index_of(h, "Cc:")] == "Cc: Carol");
    CHECK(index_of(h, "Cc:") == index_of(h, "To:") + 1);
    CHECK(h[index_of(h, "In-Reply-To:")] == "In-Reply-To: <0@x>");
    CHECK(index_of(h, "In-Reply-To:") == index_of(h, "Message-ID:") + 1);
    CHECK(h[index_of(h, "X-Priority:")] == "X-Priority: 2");
    CHECK(h[index_of(h, "X-Originator-Info:")] ==
          "X-Originator-Info: account=1; login-id=(null); server=(null); client=(null); addr=10.0.0.1; "
          "prot=Telnet; port=(null); time=(null)");
    CHECK(h[index_of(h, "X-FTN-Kludge:")] == "X-FTN-Kludge: CHRS: CP437 2");
    CHECK(index_of(h, "X-FTN-PID:") == index_of(h, "X-FTN-Kludge:") + 1);
    CHECK(index_of(h, "X-FTN-Kludge:") > index_of(h, "X-Originator-Info:"));
}

TEST_CASE("POP3-84 From: of local, QWK, FidoNet and other network senders", "[render]") {
    auto m = local_mail();
    CHECK(header(m, "From") == "\"Sysop\" <Sysop@bbs.example.com>");
    m.hdr.add(smb::hf::SENDER, "John Doe");
    CHECK(header(m, "From") == "\"John Doe\" <John.Doe@bbs.example.com>");
    m.hdr.add(smb::hf::SENDER, "Dr. Seuss");
    CHECK(header(m, "From") == "\"Dr. Seuss\" <Dr.Seuss@bbs.example.com>");
    m.hdr.add(smb::hf::SENDER, "Yo!");
    CHECK(header(m, "From") == "\"Yo!\" <\"Yo!\"@bbs.example.com>");

    auto q = local_mail();
    q.hdr.add(smb::hf::SENDER, "John Doe");
    q.hdr.add_u16(smb::hf::SENDERNETTYPE, smb::net::QWK);
    q.hdr.add(smb::hf::SENDERNETADDR, "VERT");
    CHECK(header(q, "From") == "\"John Doe\" <VERT!John.Doe@bbs.example.com>");
    CHECK(header(q, "Organization") == "<absent>");

    auto f = local_mail();
    f.hdr.add(smb::hf::SENDER, "John Doe");
    f.hdr.add_u16(smb::hf::SENDERNETTYPE, smb::net::FIDO);
    f.hdr.add(smb::hf::SENDERNETADDR, std::string("\x01\x00\x67\x00\x2a\x00\x05\x00", 8));
    CHECK(header(f, "From") == "\"John Doe\" (1:103/42.5) <John.Doe@p5.f42.n103.z1.fidonet>");

    auto o = local_mail();
    o.hdr.add_u16(smb::hf::SENDERNETTYPE, smb::net::INTERNET);
    o.hdr.add(smb::hf::SENDERNETADDR, "sysop@bbs.example.com");
    CHECK(header(o, "From") == "\"Sysop\" <sysop@bbs.example.com>");
    o.hdr.add(smb::hf::RFC822FROM, "Original <o@x>");
    CHECK(header(o, "From") == "Original <o@x>");
}

TEST_CASE("POP3-85 Organization: stored field, sender organisation, system name", "[render]") {
    auto m = local_mail();
    CHECK(header(m, "Organization") == "Fixture BBS");
    m.hdr.add(smb::hf::SENDERORG, "Acme");
    CHECK(header(m, "Organization") == "Acme");
    m.hdr.add(smb::hf::RFC822ORG, "Stored Org");
    CHECK(header(m, "Organization") == "Stored Org");
    CHECK(header(internet_mail(), "Organization") == "<absent>");
}

TEST_CASE("POP3-86 To: priority order and address forms", "[render]") {
    auto m = local_mail();
    CHECK(header(m, "To") == "Alice");
    m.hdr.add_u16(smb::hf::RECIPIENTNETTYPE, smb::net::INTERNET);
    m.hdr.add(smb::hf::RECIPIENTNETADDR, "alice@far.example");
    CHECK(header(m, "To") == "\"Alice\" <alice@far.example>");
    m.hdr.add(smb::hf::RECIPIENTNETADDR, "Alice <alice@far.example>");
    CHECK(header(m, "To") == "Alice <alice@far.example>");
    auto f = local_mail();
    f.hdr.add_u16(smb::hf::RECIPIENTNETTYPE, smb::net::FIDO);
    f.hdr.add(smb::hf::RECIPIENTNETADDR, std::string("\x02\x00\x05\x00\x07\x00\x00\x00", 8));
    CHECK(header(f, "To") == "\"Alice\" (2:5/7)");
    auto o = local_mail();
    o.hdr.add_u16(smb::hf::RECIPIENTNETTYPE, smb::net::POSTLINK);
    o.hdr.add(smb::hf::RECIPIENTNETADDR, "x");
    CHECK(header(o, "To") == "\"Alice\" <Alice@bbs.example.com>");
    auto a = local_mail();
    a.hdr.add(smb::hf::RECIPIENT, "alice@x.example");
    a.hdr.add(smb::hf::RECIPIENTNETADDR, "ignored");
    CHECK(header(a, "To") == "alice@x.example");
    a.hdr.add(smb::hf::RECIPIENTLIST, "a@x, b@y");
    CHECK(header(a, "To") == "a@x, b@y");
    a.hdr.add(smb::hf::RFC822TO, "Original <a@x>");
    CHECK(header(a, "To") == "Original <a@x>");
}

TEST_CASE("POP3-87 Reply-To: only when the chosen value has an @", "[render]") {
    auto m = local_mail();
    CHECK(header(m, "Reply-To") == "<absent>");
    m.hdr.add(smb::hf::REPLYTO, "Help Desk");
    m.hdr.add_u16(smb::hf::REPLYTONETTYPE, smb::net::INTERNET);
    m.hdr.add(smb::hf::REPLYTONETADDR, "help@bbs.example.com");
    CHECK(header(m, "Reply-To") == "\"Help Desk\" <help@bbs.example.com>");
    m.hdr.add(smb::hf::REPLYTOLIST, "list-without-at");
    CHECK(header(m, "Reply-To") == "<absent>");
    m.hdr.add(smb::hf::RFC822REPLYTO, "r@x.example");
    CHECK(header(m, "Reply-To") == "r@x.example");
}

TEST_CASE("POP3-83 generated Message-ID host fallbacks", "[render]") {
    auto m = local_mail();
    auto ctx = test_context();
    ctx.inet_addr.clear();
    auto h = render::header_lines(m, ctx);
    CHECK(h[index_of(h, "Message-ID")] == "Message-ID: <695684ED.1@FIXTURE>");
    ctx.qwk_id.clear();
    h = render::header_lines(m, ctx);
    CHECK(h[index_of(h, "Message-ID")] == "Message-ID: <695684ED.1@Fixture BBS>");
}

TEST_CASE("POP3-96 non-ASCII generated header text is MIME-encoded", "[render]") {
    CHECK(render::encode_header_field("plain text", false) == "plain text");
    // CP437 0x82 is e-acute: UTF-8 C3 A9.
    CHECK(render::encode_header_field("Caf\x82  au  lait", false) == "=?utf-8?q?Caf=C3=A9?= au lait");
    CHECK(render::encode_header_field("\xC3\xA9t\xC3\xA9=x", true) == "=?utf-8?q?=C3=A9t=C3=A9=3Dx?=");
    std::string longword(80, 'a');
    longword += "\x82";
    std::string enc = render::encode_header_field(longword, false);
    CHECK(enc == "=?utf-8?q?" + std::string(61, 'a') + "?=");
    auto m = local_mail();
    m.hdr.add(smb::hf::SUBJECT, "R\x82sum\x82");
    CHECK(header(m, "Subject") == "=?utf-8?q?R=C3=A9sum=C3=A9?=");
    m.hdr.add(smb::hf::RFC822SUBJECT, "=?iso-8859-1?q?stored?=");
    CHECK(header(m, "Subject") == "=?iso-8859-1?q?stored?=");
}

TEST_CASE("POP3-83 Date: day, month, zone codes and legacy Unix times", "[render]") {
    CHECK(render::rfc822_date(test::packed_when(2026, 2, 28, 23, 59, 59, 60)) == "Sat, 28 Feb 2026 23:59:59 +0100");
    CHECK(render::rfc822_date(test::packed_when(2024, 12, 9, 0, 0, 0, int16_t(0x412C))) ==
          "Mon, 9 Dec 2024 00:00:00 -0500");
    CHECK(render::zone_minutes(int16_t(0xC12C)) == -240);
    CHECK(render::zone_minutes(int16_t(0x103C)) == 60);
    CHECK(render::zone_minutes(int16_t(0x41E0)) == -480);
    setenv("TZ", "UTC", 1);
    tzset();
    smb::When legacy;
    legacy.time = 1767261600;   // 2026-01-01 10:00:00 UTC
    CHECK(render::rfc822_date(legacy) == "Thu, 1 Jan 2026 10:00:00 +0000");
}

TEST_CASE("ISSUE14-4 POP3-83 Date: formatted by hand equals the original's printf form", "[render]") {
    const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    // Zones: plain minutes east and west, US/west codes, and one over 99 hours' worth of minutes.
    const int16_t zones[] = {0, 60, -300, 330, int16_t(0x412C), int16_t(0xC12C), int16_t(0x41E0), 1000, -1000,
                             int16_t(0x4FFF)};
    for (int year : {1970, 1999, 2026, 2100})
        for (int mon = 1; mon <= 12; mon += 5)
            for (int16_t zone : zones) {
                smb::When w = test::packed_when(year, mon, 9, 7, 5, 3, zone);
                std::string got = render::rfc822_date(w);
                // The reference: the same fields through printf, as before.
                int tz = render::zone_minutes(zone);
                char sign = tz < 0 ? '-' : '+';
                tz = std::abs(tz);
                int wday = -1;
                for (int d = 0; d < 7; ++d)
                    if (got.compare(0, 3, days[d]) == 0) wday = d;
                REQUIRE(wday >= 0);
                char want[64];
                std::snprintf(want, sizeof want, "%s, %d %s %d %02d:%02d:%02d %c%02u%02u", days[wday], 9,
                              months[mon - 1], year, 7, 5, 3, sign, unsigned(tz / 60), unsigned(tz % 60));
                CHECK(got == want);
            }
    CHECK(render::rfc822_date(test::packed_when(2026, 12, 7, 0, 0, 0, 0)) == "Mon, 7 Dec 2026 00:00:00 +0000");
}
