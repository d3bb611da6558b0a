// SendMail against Postfix's smtp-sink: a real, independent SMTP receiver.
#include "harness.h"
#include "smtp_sink.h"

#include "skip.h"

#include <catch.hpp>
#include <chrono>
#include <thread>

using namespace sbbs;
using namespace sbbs::test;

namespace {
void relay_to(Harness& h, const SmtpSink& sink) {
    h.s.options |= mail_opt::RELAY_TX;
    h.s.relay_server = "127.0.0.1";
    h.s.relay_port = sink.port();
}
// The dump is written when the session ends; give it a moment.
std::vector<std::string> wait_dumps(const SmtpSink& sink) {
    for (int i = 0; i < 100; ++i) {
        auto d = sink.dumps();
        if (!d.empty()) return d;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return {};
}
} // namespace

TEST_CASE("SEND-61 smtp-sink receives the message text byte for byte", "[sendmail]") {
    SmtpSink sink;
    if (!sink.running()) SBBS_SKIP(sink.why_not());
    Harness h;
    relay_to(h, sink);
    std::string body = "Line one\r\n.starts with a dot\r\n\r\n8-bit: \xc3\xa9t\xc3\xa9\r\nlast\r\n";
    auto n = h.queue("bob@remote.example", body);
    auto sm = h.make();
    CHECK(sm.scan(true).sent == 1);
    CHECK((h.hdr(n).netattr & smb::netattr::SENT));
    auto dumps = wait_dumps(sink);
    REQUIRE(dumps.size() == 1);
    CHECK(dumps[0].find("X-Mail-Args: <John.Doe@bbs.test>") != std::string::npos);
    CHECK(dumps[0].find("X-Rcpt-Args: <bob@remote.example>") != std::string::npos);
    std::string text = Harness::render(h.store.read(n, true).value());
    // The dump holds the lines as received (LF or CRLF ends): compare per line.
    auto norm = [](std::string s) {
        std::string o;
        for (char c : s) if (c != '\r') o += c;
        return o;
    };
    CHECK(norm(dumps[0]).find(norm(text)) != std::string::npos);
}

TEST_CASE("SEND-90 smtp-sink soft-rejecting RCPT: an attempt is counted, the message stays", "[sendmail]") {
    SmtpSink sink({"-r", "rcpt"});
    if (!sink.running()) SBBS_SKIP(sink.why_not());
    Harness h;
    relay_to(h, sink);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    CHECK(h.hdr(n).delivery_attempts == 1);
    CHECK_FALSE((h.hdr(n).attr & smb::attr::DELETE));
    CHECK(h.notices().empty());
}

TEST_CASE("SEND-96 smtp-sink hard-rejecting the end of data: bounced at once", "[sendmail]") {
    SmtpSink sink({"-f", "."});
    if (!sink.running()) SBBS_SKIP(sink.why_not());
    Harness h;
    relay_to(h, sink);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).bounced == 1);
    CHECK((h.hdr(n).attr & smb::attr::DELETE));
    CHECK(h.notices().size() == 1);
}

TEST_CASE("SEND-61 smtp-sink hanging up after the text: retried, not sent twice", "[sendmail]") {
    SmtpSink sink({"-q", "."});
    if (!sink.running()) SBBS_SKIP(sink.why_not());
    Harness h;
    relay_to(h, sink);
    auto n = h.queue("bob@remote.example");
    auto sm = h.make();
    CHECK(sm.scan(true).failed == 1);
    auto m = h.hdr(n);
    CHECK(m.delivery_attempts == 1);
    CHECK_FALSE((m.netattr & (smb::netattr::SENT | smb::netattr::INTRANSIT)));
}
