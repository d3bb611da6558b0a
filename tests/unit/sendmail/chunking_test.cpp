// SendMail toward servers offering CHUNKING (RFC 3030: the text as one BDAT
// chunk, DATA otherwise) and LIMITS (RFC 9422: RCPTMAX splits a batch,
// MAILMAX ends a connection).
#include "harness.h"

#include "sendmail/outbound_batch.h"
#include "sendmail/peer_extensions.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::test;

namespace {
const std::vector<std::string> kChunkingEhlo = {"250-fake.test", "250-PIPELINING", "250-CHUNKING", "250 HELP"};

size_t count(const std::vector<std::string>& v, const std::string& prefix) {
    size_t n = 0;
    for (auto& x : v) n += x.rfind(prefix, 0) == 0;
    return n;
}
} // namespace

TEST_CASE("RFC3030-11 a server offering CHUNKING gets the text as one BDAT LAST chunk, byte for byte",
          "[sendmail][chunking]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kChunkingEhlo;
    h.start_relay(f);
    // Leading dots stay as they are (no stuffing); bare line ends go out as CR LF (SEC-2).
    h.queue("bob@remote.example", ".dot\r\n..two\r\n.\r\nbare\nend\r\n");
    auto ss = h.scan_one_session(f);
    const std::string text = "Subject: Greetings\r\n\r\n.dot\r\n..two\r\n.\r\nbare\r\nend\r\n";
    std::vector<std::string> want = {"EHLO mail.bbs.test", "MAIL FROM:<John.Doe@bbs.test>",
                                     "RCPT TO:<bob@remote.example>", "BDAT " + std::to_string(text.size()) + " LAST",
                                     "QUIT"};
    CHECK(ss[0].commands == want);
    CHECK(ss[0].data == text);
    CHECK(ss[0].chunks == std::vector<size_t>{text.size()});
    CHECK((h.hdr(1).netattr & smb::netattr::SENT));
}

TEST_CASE("RFC3030-12 without CHUNKING (or after HELO) the text goes by DATA as before", "[sendmail][chunking]") {
    Harness h;
    FakeSmtpServer f;   // EHLO offers nothing
    h.start_relay(f);
    h.queue("bob@remote.example", ".dot\r\n");
    auto ss = h.scan_one_session(f);
    CHECK(contains(ss[0].commands, "DATA"));
    CHECK(count(ss[0].commands, "BDAT") == 0);
    CHECK(ss[0].data == "Subject: Greetings\r\n\r\n..dot\r\n");   // dot-stuffed, as received
    Harness g;
    FakeSmtpServer old;
    old.replies["EHLO"] = {"500 what"};
    g.start_relay(old);
    g.queue("bob@remote.example");
    auto os = g.scan_one_session(old);
    CHECK(contains(os[0].commands, "HELO mail.bbs.test"));
    CHECK(contains(os[0].commands, "DATA"));
}

TEST_CASE("RFC3030-13 a BDAT refusal is final (5xx bounces) or temporary (4xx retried)", "[sendmail][chunking]") {
    for (std::string reply : {"554 5.6.0 no thanks", "452 4.3.1 later"}) {
        CAPTURE(reply);
        Harness h;
        FakeSmtpServer f;
        f.ehlo = kChunkingEhlo;
        f.replies["BDAT"] = {reply};
        h.start_relay(f);
        h.queue("bob@remote.example");
        auto sm = h.make();
        auto st = sm.scan(true);
        CHECK(st.sent == 0);
        bool permanent = reply[0] == '5';
        auto notes = h.notices();
        CHECK(notes.size() == (permanent ? 1u : 0u));
        if (!permanent || notes.empty()) continue;
        CHECK(human_part(notes[0]).find("\"" + reply + "\"") != std::string::npos);
        CHECK_FALSE((h.hdr(1).netattr & smb::netattr::SENT));
    }
}

TEST_CASE("RFC9422-2 a peer's LIMITS RCPTMAX splits one batch into transactions of that many recipients",
          "[sendmail][limits]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = {"250-fake.test", "250-CHUNKING", "250 LIMITS RCPTMAX=2 MAILMAX=10"};
    h.start_relay(f);
    for (int i = 0; i < 5; ++i) h.queue("r" + std::to_string(i) + "@remote.example");
    auto ss = h.scan_one_session(f, 5);
    auto& c = ss[0].commands;
    CHECK(count(c, "MAIL FROM:") == 3);
    CHECK(count(c, "RCPT TO:") == 5);
    CHECK(count(c, "BDAT ") == 3);
    CHECK(count(c, "RSET") == 2);
    // Never more than two RCPT in one transaction.
    size_t run = 0, most = 0;
    for (auto& l : c) {
        if (l.rfind("MAIL", 0) == 0) run = 0;
        if (l.rfind("RCPT", 0) == 0) most = std::max(most, ++run);
    }
    CHECK(most == 2);
    for (uint32_t n = 1; n <= 5; ++n) CHECK((h.hdr(n).netattr & smb::netattr::SENT));
}

TEST_CASE("RFC9422-3 a peer's LIMITS MAILMAX: the next transaction goes on a new connection", "[sendmail][limits]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = {"250-fake.test", "250 LIMITS MAILMAX=1"};
    h.start_relay(f);
    h.queue("bob@remote.example", "one\r\n");
    h.queue("bob@remote.example", "two\r\n");   // another text: another transaction
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 2);
    auto ss = f.sessions();
    REQUIRE(ss.size() == 2);
    for (auto& s : ss) {
        CHECK(count(s.commands, "MAIL FROM:") == 1);
        CHECK(count(s.commands, "RSET") == 0);
        CHECK(s.commands.back() == "QUIT");
    }
}

TEST_CASE("RFC9422-4 EHLO keywords: CHUNKING and LIMITS read, malformed limits ignored", "[sendmail][limits]") {
    auto p = parse_ehlo({"250-mx.example", "250-chunking", "250 LIMITS RCPTMAX=50 MAILMAX=3 RCPTDOMAINMAX=1"});
    CHECK(p.chunking);
    CHECK(p.rcpt_max == 50);
    CHECK(p.mail_max == 3);
    auto bad = parse_ehlo({"250-mx.example CHUNKING", "250-LIMITS RCPTMAX=0 MAILMAX=1234567",
                           "250 LIMITS RCPTMAX=x MAILMAX= FOO=1"});
    CHECK_FALSE(bad.chunking);   // the first line names the server, it offers nothing
    CHECK(bad.rcpt_max == 0);
    CHECK(bad.mail_max == 0);
    CHECK(rcpt_slices(5, 2).size() == 3);
    CHECK(rcpt_slices(5, 2).back().begin == 4);
    CHECK(rcpt_slices(5, 2).back().end == 5);
    CHECK(rcpt_slices(5, 0).size() == 1);
    CHECK(rcpt_slices(0, 2).empty());
}

TEST_CASE("RFC3030-3 SendMail never sends BODY=BINARYMIME, even to a server offering it: stored mail is text",
          "[sendmail][chunking][binarymime]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = {"250-fake.test", "250-CHUNKING", "250-BINARYMIME", "250 8BITMIME"};
    h.start_relay(f);
    // What SMTP stores for a BINARYMIME message: a base64 part, CR LF lines.
    const std::string body = "--x\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
                             "X-MIME-Autoconverted: from binary to base64 by bbs.test\r\n\r\nAP8BAg==\r\n--x--\r\n";
    h.queue("bob@remote.example", body);
    auto ss = h.scan_one_session(f);
    REQUIRE(!ss.empty());
    CHECK(contains(ss[0].commands, "MAIL FROM:<John.Doe@bbs.test>"));
    for (auto& c : ss[0].commands) CHECK(c.find("BINARYMIME") == std::string::npos);
    CHECK(ss[0].data.find("AP8BAg==\r\n--x--\r\n") != std::string::npos);
}
