// SEC-2 outbound: the message text SendMail puts on the wire has only CR LF
// line ends, so no bare CR or LF can make a receiver see an end of data
// (SMTP smuggling) before the one SendMail sends.
#include "fake_connector.h"
#include "sendmail/data_text.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::test;

namespace {
// Bytes written after the DATA command up to the end-of-data line, as one string.
std::string data_on_wire(const std::vector<std::string>& writes) {
    std::string out;
    bool in_data = false;
    for (auto& w : writes) {
        if (in_data) out += w;
        if (in_data && w == ".\r\n") break;
        if (w == "DATA\r\n") in_data = true;
    }
    return out;
}
bool only_crlf_line_ends(const std::string& s) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) return false;
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
    }
    return true;
}
} // namespace

TEST_CASE("SEC-2 outbound SEND-68: every lone CR or LF goes out as CR LF, dot-stuffed per line", "[sendmail]") {
    std::string text = "a\n.\nb\r.\r\nc\n.\r\nd\r\n.\ne\r\r\n", sent;
    size_t lines = 0;
    CHECK(write_data_text(text, [&](std::string_view b) { return sent.append(b), true; }, lines));
    CHECK(sent == "a\r\n..\r\nb\r\n..\r\nc\r\n..\r\nd\r\n..\r\ne\r\n\r\n");
    CHECK(lines == 10);
    CHECK(crlf_lines(text) == "a\r\n.\r\nb\r\n.\r\nc\r\n.\r\nd\r\n.\r\ne\r\n\r\n");
    CHECK(crlf_lines("x\r\ny") == "x\r\ny\r\n");
    CHECK(crlf_lines("x\r\n") == "x\r\n");
}

TEST_CASE("SEC-2 outbound: a stored body with bare CR/LF dots has one end of data, at the very end", "[sendmail]") {
    Harness h;
    FakeConnector& ref = use_fake(h);
    mx(h, "a.example", "192.0.2.1");
    h.queue("ann@a.example", "one\n.\nMAIL FROM:<x@y>\r.\r\ntwo\n.\r\nthree\r\n.\nfour\rfive\r\n");
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    std::string wire = data_on_wire(ref.writes());
    REQUIRE(wire.size() > 5);
    CHECK(only_crlf_line_ends(wire));
    auto end = wire.find("\r\n.\r\n");
    CHECK(end == wire.size() - 5);
    CHECK(wire.find("\r\nfour\r\nfive\r\n") != std::string::npos);
    CHECK(wire.find("\r\n..\r\nMAIL FROM:<x@y>\r\n..\r\ntwo\r\n") != std::string::npos);
}
