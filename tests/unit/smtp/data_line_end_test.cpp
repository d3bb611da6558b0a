// How DATA lines end: only CR LF . CR LF ends a message, bare line ends are
// normalised (SEC-2, SMTP smuggling), and over-long lines are answered.
#include "harness.h"

#include <catch.hpp>

using namespace smtptest;

namespace {

// The wire as the socket reader cuts it: one scripted line per LF, ending in
// "\n" when the LF was bare (see ScriptedIo).
std::vector<std::string> wire_lines(std::string_view wire) {
    std::vector<std::string> out;
    size_t pos = 0;
    for (size_t nl; (nl = wire.find('\n', pos)) != std::string_view::npos; pos = nl + 1) {
        std::string line(wire.substr(pos, nl - pos));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        else line += '\n';
        out.push_back(std::move(line));
    }
    return out;
}

const std::string kForged = "MAIL FROM:<sysop@example.com>\r\nRCPT TO:<mary@example.com>\r\nDATA\r\n"
                            "From: Sysop <sysop@example.com>\r\nSubject: forged\r\n\r\nforged body\r\n";

std::string smuggling_session(const std::string& fake_end) {
    return "EHLO x\r\nMAIL FROM:<a@remote.org>\r\nRCPT TO:<mary@example.com>\r\nDATA\r\n"
           "From: a@remote.org\r\nSubject: first\r\n\r\nfirst body" + fake_end + kForged + ".\r\nQUIT\r\n";
}

} // namespace

TEST_CASE("SEC-2 SMTP-164 a bare LF or CR around a dot does not end DATA: the smuggled message stays data",
          "[smtp][data][sec]") {
    for (std::string fake_end : {"\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\n"}) {
        CAPTURE(fake_end);
        Harness h;
        auto r = h.run(wire_lines(smuggling_session(fake_end)));
        CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
        REQUIRE(h.store.mail.size() == 1);
        auto& m = h.store.mail.begin()->second;
        CHECK(m.hdr.get(smb::hf::SUBJECT) == "first");
        // Every bare line end is stored as CR LF; the forged text is body.
        CHECK(m.body == "first body\r\n.\r\n" + kForged);
    }
}

TEST_CASE("SEC-2 SMTP-164 CR LF . CR LF still ends DATA, with trailing blanks after the dot", "[smtp][data][sec]") {
    for (std::string dot : {".", ". ", ".\t "}) {
        Harness h;
        auto r = h.run({"EHLO x", "MAIL FROM:<a@remote.org>", "RCPT TO:<mary@example.com>", "DATA",
                        "From: a@remote.org", "", "body", dot, "QUIT"});
        CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
        REQUIRE(h.store.mail.size() == 1);
        CHECK(h.store.mail.begin()->second.body == "body\r\n");
    }
}

TEST_CASE("SEC-2 a DATA command ended by a bare LF still lets an immediate dot end the message",
          "[smtp][data][sec]") {
    Harness h;
    auto r = h.run({"EHLO x", "MAIL FROM:<a@remote.org>", "RCPT TO:<mary@example.com>", "DATA\n", ".", "QUIT"});
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 554, 221});   // SMTP-173: empty
}

TEST_CASE("SEC-2 SMTP-165 bare line ends in the header: LF ends the line, CR is dropped", "[smtp][data][sec]") {
    Harness h;
    h.run(wire_lines("EHLO x\r\nMAIL FROM:<a@remote.org>\r\nRCPT TO:<mary@example.com>\r\nDATA\r\n"
                     "From: a@remote.org\nSubject: a\rb\r\n\nbody\rmore\n\r\n.\r\nQUIT\r\n"));
    REQUIRE(h.store.mail.size() == 1);
    auto& m = h.store.mail.begin()->second;
    CHECK(m.hdr.get(smb::hf::SUBJECT) == "ab");
    CHECK(m.body == "body\r\nmore\r\n\r\n");
}

TEST_CASE("SEC-2 SMTP-165 a header line of bare CRs ends the header, as an empty line does", "[smtp][data][sec]") {
    Harness h;
    h.run(wire_lines("EHLO x\r\nMAIL FROM:<a@remote.org>\r\nRCPT TO:<mary@example.com>\r\nDATA\r\n"
                     "From: a@remote.org\r\nSubject: a\r\n\r\r\nX-Hidden: after\r\n.\r\nQUIT\r\n"));
    REQUIRE(h.store.mail.size() == 1);
    auto& m = h.store.mail.begin()->second;
    CHECK(m.hdr.get(smb::hf::SUBJECT) == "a");
    CHECK(m.body == "X-Hidden: after\r\n");   // body text, not a header field
}
