// The delivery status notification's body (RFC 3464, RFC 6522, RFC 3461 4.3).
#include "dsn/report.h"

#include <string>

using namespace sbbs::dsn;

namespace {
ReportInput sample() {
    ReportInput in;
    in.reporting_mta = "bbs.example";
    in.arrival = 1796688000;   // Tue, 08 Dec 2026 00:00:00 +0000
    in.human = "Human text.\r\n";
    in.original = "From: a@b\r\nSubject: hi\r\n\r\nBody line\r\n";
    in.seed = 7;
    RecipientReport r;
    r.action = Action::Failed;
    r.final_recipient = "bob@far.example";
    r.reply = "550 5.1.1 <bob@far.example>: user unknown";
    r.remote_mta = "mx.far.example";
    r.last_attempt = 1796688060;
    in.recipients.push_back(r);
    return in;
}
bool has(const std::string& s, const std::string& what) { return s.find(what) != std::string::npos; }
} // namespace

TEST_CASE("RFC3464-2.2 RFC3464-2.3 per-message and per-recipient fields of a failure") {
    ReportInput in = sample();
    in.envelope.envid = "QQ314159";
    in.recipients[0].params.orcpt_type = "rfc822";
    in.recipients[0].params.orcpt = "Bob@Far.Example";
    std::string ds = delivery_status(in);
    CHECK(has(ds, "Reporting-MTA: dns; bbs.example\r\n"));
    CHECK(has(ds, "Original-Envelope-Id: QQ314159\r\n"));
    CHECK(has(ds, "Arrival-Date: Tue, 08 Dec 2026 00:00:00 +0000\r\n"));
    CHECK(has(ds, "\r\n\r\nOriginal-Recipient: rfc822;Bob@Far.Example\r\n"));
    CHECK(has(ds, "Final-Recipient: rfc822;bob@far.example\r\n"));
    CHECK(has(ds, "Action: failed\r\nStatus: 5.1.1\r\n"));
    CHECK(has(ds, "Remote-MTA: dns; mx.far.example\r\n"));
    CHECK(has(ds, "Diagnostic-Code: smtp; 550 5.1.1 <bob@far.example>: user unknown\r\n"));
    CHECK(has(ds, "Last-Attempt-Date: Tue, 08 Dec 2026 00:01:00 +0000\r\n"));
    CHECK_FALSE(has(ds, "Will-Retry-Until"));
}

TEST_CASE("RFC3464-2.3.4 status from the reply's enhanced code, else its class, else by the action") {
    CHECK(status_for(Action::Failed, "550 5.7.1 no", true) == "5.7.1");
    CHECK(status_for(Action::Failed, "550-5.7.1 no", true) == "5.7.1");
    CHECK(status_for(Action::Failed, "550 no such user", true) == "5.0.0");
    CHECK(status_for(Action::Failed, "550 4.1.1 mismatched class", true) == "5.0.0");
    CHECK(status_for(Action::Delayed, "450 4.2.1 busy", false) == "4.2.1");
    CHECK(status_for(Action::Delayed, "", false) == "4.4.1");
    CHECK(status_for(Action::Failed, "", false) == "4.4.1");   // given up after temporary failures
    CHECK(status_for(Action::Failed, "", true) == "5.0.0");
    CHECK(status_for(Action::Relayed, "", false) == "2.0.0");
    CHECK(status_for(Action::Delivered, "250 ok", false) == "2.0.0");
}

TEST_CASE("RFC6522-3 RFC3461-4.3 a multipart/report with the human part, the status and the whole original") {
    Report r = build_report(sample());
    CHECK(r.content_type.rfind("multipart/report; report-type=delivery-status; boundary=\"", 0) == 0);
    std::string boundary = r.content_type.substr(r.content_type.find("boundary=\"") + 10);
    boundary.pop_back();
    auto first = r.body.find("--" + boundary + "\r\nContent-Type: text/plain; charset=us-ascii\r\n");
    auto second = r.body.find("--" + boundary + "\r\nContent-Type: message/delivery-status\r\n");
    auto third = r.body.find("--" + boundary + "\r\nContent-Type: message/rfc822\r\n");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    REQUIRE(third != std::string::npos);
    CHECK((first < second && second < third));
    CHECK(has(r.body, "Human text.\r\n"));
    CHECK(has(r.body, "Subject: hi\r\n\r\nBody line\r\n"));
    CHECK(r.body.size() >= boundary.size() + 6);
    CHECK(r.body.compare(r.body.size() - boundary.size() - 6, std::string::npos, "--" + boundary + "--\r\n") == 0);
}

TEST_CASE("RFC3461-4.3 RET=HDRS returns only the header as text/rfc822-headers; a success report too by default") {
    ReportInput in = sample();
    in.envelope.ret = Ret::Hdrs;
    Report r = build_report(in);
    CHECK(has(r.body, "Content-Type: text/rfc822-headers\r\n"));
    CHECK_FALSE(has(r.body, "message/rfc822"));
    CHECK(has(r.body, "Subject: hi\r\n"));
    CHECK_FALSE(has(r.body, "Body line"));
    ReportInput ok = sample();
    ok.recipients[0].action = Action::Relayed;
    CHECK(has(build_report(ok).body, "Content-Type: text/rfc822-headers\r\n"));
    ok.envelope.ret = Ret::Full;
    CHECK(has(build_report(ok).body, "Body line"));
}

TEST_CASE("RFC3464-2.3.3 a delay report carries Will-Retry-Until; success has 2.0.0") {
    ReportInput in = sample();
    in.recipients[0].action = Action::Delayed;
    in.recipients[0].reply = "450 4.2.0 mailbox busy";
    in.recipients[0].will_retry_until = 1796774400;
    std::string ds = delivery_status(in);
    CHECK(has(ds, "Action: delayed\r\nStatus: 4.2.0\r\n"));
    CHECK(has(ds, "Will-Retry-Until: Wed, 09 Dec 2026 00:00:00 +0000\r\n"));
}

TEST_CASE("RFC3464-2 RFC6533-3 nothing from the wire reaches a field raw: controls, line breaks and 8-bit") {
    ReportInput in = sample();
    in.reporting_mta = "bbs.example\r\nX-Injected: 1";
    in.envelope.envid = "id\r\nX-Evil: 1";
    in.recipients[0].reply = "550 bad\r\nX-Evil: 2\x01\xff";
    in.recipients[0].remote_mta = "mx\nX-Evil: 3";
    in.recipients[0].final_recipient = "j\xC3\xBCrgen@bbs.example";
    in.recipients[0].params.orcpt_type = "utf-8";
    in.recipients[0].params.orcpt = "a\r\nb@c";
    std::string ds = delivery_status(in);
    CHECK_FALSE(has(ds, "\r\nX-"));
    CHECK_FALSE(has(ds, "\nX-"));
    for (unsigned char c : ds) {
        CHECK(c < 0x80);
        CHECK((c >= 0x20 || c == '\r' || c == '\n'));
    }
    CHECK(has(ds, "Final-Recipient: utf-8;j\\x{FC}rgen@bbs.example\r\n"));
    CHECK(has(ds, "Original-Recipient: utf-8;a\\x{D}\\x{A}b@c\r\n"));
    CHECK(has(ds, "Original-Envelope-Id: id+0D+0AX-Evil:+201\r\n"));
    CHECK(has(ds, "Diagnostic-Code: smtp; 550 bad??X-Evil: 2??\r\n"));
}

TEST_CASE("RFC2046-5.1.1 the boundary is found in none of the parts; NUL and Ctrl-A never reach the text") {
    ReportInput in = sample();
    in.original = "Subject: x\r\n\r\n--=_sbbs-dsn-00000007-0\r\nA\x01" "B\0C\r\n";
    in.original.push_back('\0');
    Report r = build_report(in);
    CHECK(has(r.content_type, "boundary=\"=_sbbs-dsn-00000007-1\""));
    CHECK(r.body.find('\0') == std::string::npos);
    CHECK(r.body.find('\x01') == std::string::npos);
}

TEST_CASE("RFC6522-3 8-bit text is declared: the human part's charset, 8bit transfer encoding") {
    ReportInput in = sample();
    in.human = "from J\xC3\xBCrgen\r\n";
    in.original = "Subject: x\r\n\r\n\x81\x82\r\n";
    Report r = build_report(in);
    CHECK(has(r.body, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"));
    CHECK(has(r.body, "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n"));
    in.human = "from J\x81rgen\r\n";   // a CP437 user name
    CHECK(has(build_report(in).body, "charset=IBM437"));
}
