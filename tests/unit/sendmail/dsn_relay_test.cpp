// SendMail relaying DSN parameters (RFC 3461 5.2.1): RET/ENVID on MAIL and
// each recipient's NOTIFY/ORCPT on its RCPT, only to a server offering DSN;
// batching keeps copies with different RET/ENVID apart; the outcome says
// whether the peer offered DSN.
#include "harness.h"

#include "sendmail/outbound_batch.h"
#include "sendmail/peer_extensions.h"
#include "sendmail/smtp_session.h"

#include <catch.hpp>

#include <deque>

using namespace sbbs;
using namespace sbbs::test;

namespace {

const std::vector<std::string> kDsnEhlo = {"250-fake.test", "250-PIPELINING", "250 DSN"};

// A copy queued with the DSN fields the SMTP server stores (0xD4/0xD5).
uint32_t queue_with_dsn(Harness& h, const std::string& to, const std::string& env, const std::string& rcpt,
                        const std::string& body = "Hello\r\n") {
    uint32_t n = h.queue(to, body);
    auto& hdr = h.store.mail.at(n).hdr;
    if (!env.empty()) hdr.add(smb::hf::DSN_ENVELOPE, env);
    if (!rcpt.empty()) hdr.add(smb::hf::DSN_RECIPIENT, rcpt);
    return n;
}

size_t count_prefix(const std::vector<std::string>& v, const std::string& prefix) {
    size_t n = 0;
    for (auto& x : v) n += x.rfind(prefix, 0) == 0;
    return n;
}

// Replies in order to whatever is written; records the commands.
class ScriptedLink : public SmtpLink {
public:
    std::deque<std::string> replies;
    std::vector<std::string> written;
    ReadLine read_line(unsigned) override {
        if (replies.empty()) return {ReadStatus::Closed, {}};
        std::string r = replies.front();
        replies.pop_front();
        return {ReadStatus::Line, r};
    }
    bool write(std::string_view bytes) override { written.emplace_back(bytes); return true; }
    Status start_tls(unsigned, const TlsPeerCheck&) override { return make_error("no TLS here"); }
    bool is_tls() const override { return false; }
    int socket_number() const override { return 7; }
};

TransactionOutcome send_over(const std::vector<std::string>& ehlo, ScriptedLink& link) {
    link.replies = {"220 fake.test ESMTP"};
    link.replies.insert(link.replies.end(), ehlo.begin(), ehlo.end());
    for (auto r : {"250 sender ok", "250 rcpt ok", "354 go", "250 queued"}) link.replies.push_back(r);
    SendMailSettings s;
    CaptureLogger log;
    SmtpSession session(link, s, log, "mx.test");
    std::string error;
    REQUIRE(session.greet(error));
    REQUIRE(session.open({false, false, {}}).result == SessionResult::Sent);
    return session.send({"<a@bbs.test>", {"<b@remote.test>"}, "Subject: x\r\n\r\nhi\r\n", "RET=HDRS", {"NOTIFY=NEVER"}});
}

} // namespace

TEST_CASE("RFC3461-5.2 EHLO's DSN keyword is recognised", "[sendmail][dsn]") {
    CHECK(parse_ehlo({"250-fake.test", "250-SIZE 10", "250 DSN"}).dsn);
    CHECK(parse_ehlo({"250-fake.test", "250-dsn", "250 HELP"}).dsn);
    CHECK_FALSE(parse_ehlo({"250-fake.test", "250-DSNX", "250 HELP"}).dsn);
    CHECK_FALSE(parse_ehlo({"250 DSN"}).dsn);   // the first line names the server
}

TEST_CASE("RFC3461-5.2.1 a server offering DSN gets RET/ENVID on MAIL and NOTIFY/ORCPT on RCPT", "[sendmail][dsn]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kDsnEhlo;
    h.start_relay(f);
    // No REQUIRETLS here: such mail never goes over this plain session (requiretls_test.cpp).
    queue_with_dsn(h, "bob@remote.example", "RET=HDRS ENVID=QQ+2B314",
                   "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+2Bx@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(contains(ss[0].commands, "MAIL FROM:<John.Doe@bbs.test> RET=HDRS ENVID=QQ+2B314"));
    CHECK(contains(ss[0].commands, "RCPT TO:<bob@remote.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+2Bx@remote.example"));
}

TEST_CASE("RFC3461-5.2.1 a server without DSN gets none of the parameters", "[sendmail][dsn]") {
    Harness h;
    FakeSmtpServer f;   // EHLO offers nothing
    h.start_relay(f);
    queue_with_dsn(h, "bob@remote.example", "RET=FULL ENVID=e1", "NOTIFY=SUCCESS ORCPT=rfc822;bob@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(contains(ss[0].commands, "MAIL FROM:<John.Doe@bbs.test>"));
    CHECK(contains(ss[0].commands, "RCPT TO:<bob@remote.example>"));
}

TEST_CASE("RFC3461-5.2.1 mail that asked for nothing goes without parameters to a DSN server", "[sendmail][dsn]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kDsnEhlo;
    h.start_relay(f);
    h.queue("bob@remote.example");
    auto ss = h.scan_one_session(f);
    CHECK(contains(ss[0].commands, "MAIL FROM:<John.Doe@bbs.test>"));
    CHECK(contains(ss[0].commands, "RCPT TO:<bob@remote.example>"));
}

TEST_CASE("RFC3461-4.1 batched recipients each carry their own NOTIFY/ORCPT; other RET/ENVID is another MAIL",
          "[sendmail][dsn]") {
    Harness h;
    FakeSmtpServer f;
    f.ehlo = kDsnEhlo;
    h.start_relay(f);
    queue_with_dsn(h, "bob@remote.example", "ENVID=e1", "NOTIFY=SUCCESS");
    queue_with_dsn(h, "carol@remote.example", "ENVID=e1", "NOTIFY=NEVER ORCPT=rfc822;c@remote.example");
    queue_with_dsn(h, "dave@remote.example", "ENVID=e2", "");
    auto ss = h.scan_one_session(f, 3);
    const auto& c = ss[0].commands;
    CHECK(count_prefix(c, "MAIL FROM:") == 2);
    auto first = std::find(c.begin(), c.end(), "MAIL FROM:<John.Doe@bbs.test> ENVID=e1");
    REQUIRE(first != c.end());
    REQUIRE(c.end() - first >= 3);
    CHECK(first[1] == "RCPT TO:<bob@remote.example> NOTIFY=SUCCESS");
    CHECK(first[2] == "RCPT TO:<carol@remote.example> NOTIFY=NEVER ORCPT=rfc822;c@remote.example");
    auto second = std::find(c.begin(), c.end(), "MAIL FROM:<John.Doe@bbs.test> ENVID=e2");
    REQUIRE(second != c.end());
    CHECK(second[1] == "RCPT TO:<dave@remote.example>");
}

TEST_CASE("RFC3461-5.2 group_jobs batches only copies with equal RET/ENVID", "[sendmail][dsn]") {
    std::vector<OutboundJob> jobs(3);
    for (size_t i = 0; i < jobs.size(); ++i) {
        jobs[i].from = "<a@bbs.test>";
        jobs[i].to = "<r" + std::to_string(i) + "@x.test>";
        jobs[i].text = "same";
    }
    jobs[0].dsn_mail = jobs[1].dsn_mail = "RET=HDRS";
    jobs[1].dsn_rcpt = "NOTIFY=NEVER";
    jobs[2].dsn_mail = "RET=FULL";
    auto g = group_jobs(jobs, 100);
    REQUIRE(g.size() == 1);
    REQUIRE(g[0].batches.size() == 2);
    CHECK(g[0].batches[0].jobs == std::vector<size_t>{0, 1});
    CHECK(g[0].batches[0].dsn_mail == "RET=HDRS");
    CHECK(g[0].batches[1].jobs == std::vector<size_t>{2});
}

TEST_CASE("RFC3461-5.2.2 the outcome says whether the peer offered DSN", "[sendmail][dsn]") {
    ScriptedLink with;
    auto o = send_over({"250-fake.test", "250 DSN"}, with);
    REQUIRE(o.rcpt.size() == 1);
    CHECK(o.rcpt[0].result == SessionResult::Sent);
    CHECK(o.rcpt[0].peer_dsn);
    CHECK(contains(with.written, "MAIL FROM:<a@bbs.test> RET=HDRS\r\n"));
    CHECK(contains(with.written, "RCPT TO:<b@remote.test> NOTIFY=NEVER\r\n"));
    ScriptedLink without;
    auto n = send_over({"250-fake.test", "250 HELP"}, without);
    REQUIRE(n.rcpt.size() == 1);
    CHECK(n.rcpt[0].result == SessionResult::Sent);
    CHECK_FALSE(n.rcpt[0].peer_dsn);
    CHECK(contains(without.written, "MAIL FROM:<a@bbs.test>\r\n"));
    CHECK(contains(without.written, "RCPT TO:<b@remote.test>\r\n"));
}
