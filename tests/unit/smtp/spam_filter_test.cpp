// The anti-spam rules wired into a session through SpamFilter: what the
// client sees, what is logged and what is stored (issue #12).
#include "harness.h"

#include "smtp/sasl.h"
#include "smtp/spam_filter.h"
#include "spam/spam_test_support.h"

using namespace smtptest;

namespace {

std::string auth_plain(const std::string& user, const std::string& pw) {
    return "AUTH PLAIN " + base64_encode(std::string("\0", 1) + user + std::string("\0", 1) + pw);
}

struct SpamHarness : Harness {
    test::SpamInstall inst;
    SpamHarness() { filters.add(std::make_shared<SpamFilter>(std::make_shared<spam::AntiSpam>(inst.paths))); }
};

} // namespace

TEST_CASE("SMTP-27 a spamblock.cfg client gets 550 before the greeting and is closed", "[smtp][spam]") {
    SpamHarness h;
    h.inst.write("ctrl/spamblock.cfg", "127.0.0.2\n");
    auto r = h.run({"EHLO x", "QUIT"});
    CHECK(r == std::vector<std::string>{"550 5.7.1 CLIENT IP ADDRESS BLOCKED: 127.0.0.2"});
    CHECK(h.log.has("0007 SMTP  [127.0.0.2] !CLIENT BLOCKED in " + h.inst.path("ctrl/spamblock.cfg") + " (1 total)"));
    CHECK(h.log.level_of("!CLIENT BLOCKED") == LogLevel::Notice);
}

TEST_CASE("SMTP-24 a client on the server's own address passes every list", "[smtp][spam]") {
    SpamHarness h;
    h.inst.write("text/ip.can", "127.0.0.1\n");
    h.io.ip = "127.0.0.1";
    auto r = h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
}

TEST_CASE("SMTP-94 a blocked reverse path gets 554 and the session ends, before our SIZE check", "[smtp][spam]") {
    SpamHarness h;
    h.inst.write("text/email.can", "*@junk.example\n");
    auto r = h.run({"EHLO x", "MAIL FROM:<a@junk.example> SIZE=999999999", "RCPT TO:<mary@example.com>"});
    CHECK(r.back() == "554 5.7.1 Sender not allowed.");
    CHECK(h.log.has("0007 SMTP  [127.0.0.2] !BLOCKED REVERSE PATH e-mail address: <a@junk.example> SIZE=999999999"));
}

TEST_CASE("SMTP-113 a blocked recipient gets 550 Unknown User with the raw argument", "[smtp][spam]") {
    SpamHarness h;
    h.inst.write("text/email.can", "mary@example.com\n");
    auto r = h.run(mail_script("<a@remote.org>", {"<mary@example.com>", "<john.doe@example.com>"}));
    CHECK(has_line(r, "550 5.1.1 Unknown User: <mary@example.com>"));
    CHECK(h.store.mail.size() == 1);   // John still gets his copy
}

TEST_CASE("SMTP-110 SMTP-111 SMTP-179 a spam bait: 250, nothing stored, the IP blocked", "[smtp][spam]") {
    SpamHarness h;
    h.inst.write("ctrl/spambait.cfg", "bait@example.com\n");
    auto r = h.run(mail_script("<a@remote.org>", {"<bait@example.com>"}));
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 354, 250, 221});
    CHECK(h.store.mail.empty());
    CHECK(h.inst.read("ctrl/spamblock.cfg").find("127.0.0.2\tt=") == 0);
    CHECK(h.log.has("0007 SMTP  [127.0.0.2] SPAM BAIT (bait@example.com) taken by: <a@remote.org>"));
    CHECK(h.log.has("0007 SMTP  !BLOCKING IP ADDRESS: [127.0.0.2] in " + h.inst.path("ctrl/spamblock.cfg")));

    SpamHarness next;   // the next session from that IP
    next.inst.write("ctrl/spamblock.cfg", h.inst.read("ctrl/spamblock.cfg"));
    CHECK(next.run({"QUIT"}).front() == "550 5.7.1 CLIENT IP ADDRESS BLOCKED: 127.0.0.2");
}

TEST_CASE("SMTP-112 SMTP-194 the bait flag follows the last RCPT", "[smtp][spam]") {
    SpamHarness late;   // real recipient, then the bait: the message is dropped
    late.inst.write("ctrl/spambait.cfg", "bait@example.com\n");
    auto r = late.run(mail_script("<a@remote.org>", {"<mary@example.com>", "<bait@example.com>"}));
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 250, 354, 250, 221});
    CHECK(late.store.mail.empty());
    CHECK(late.log.has("!IGNORED SPAM MESSAGE from 'Alice' <alice@remote.org> to <bait@example.com> (1 total)"));

    SpamHarness early;  // the bait, then a real recipient: delivered as usual
    early.inst.write("ctrl/spambait.cfg", "bait@example.com\n");
    early.run(mail_script("<a@remote.org>", {"<bait@example.com>", "<mary@example.com>"}));
    CHECK(early.store.mail.size() == 1);
}

TEST_CASE("SMTP-175 a twit-listed sender gets 554 at the end of data, telegrams too", "[smtp][spam]") {
    SpamHarness h;
    h.inst.write("ctrl/twitlist.cfg", "alice@remote.org\n");
    auto r = h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(has_line(r, "554 5.7.1 Sender not allowed."));
    CHECK(h.store.mail.empty());

    SpamHarness t;
    t.inst.write("ctrl/twitlist.cfg", "alice@remote.org\n");
    t.notices.pageable.insert(3);
    auto rt = t.run({"EHLO x", "SEND FROM:<alice@remote.org>", "RCPT TO:<mary@example.com>", "DATA", "Hi", ".", "QUIT"});
    CHECK(has_line(rt, "554 5.7.1 Sender not allowed."));
    CHECK(t.notices.written.empty());
}

TEST_CASE("SMTP-181 a blocked subject gets 554 and nothing is stored; authenticated senders pass", "[smtp][spam]") {
    SpamHarness h;
    h.inst.write("text/subject.can", "hi\n");
    auto r = h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(has_line(r, "554 5.7.1 Subject not allowed."));
    CHECK(h.store.mail.empty());
    CHECK(h.log.has("!BLOCKED SUBJECT (hi) from: <a@remote.org> (1 total)"));

    SpamHarness a;
    a.inst.write("text/subject.can", "hi\n");
    a.run(mail_script("<a@remote.org>", {"<mary@example.com>"}, default_message(), {auth_plain("mary", "maryPW")}));
    CHECK(a.store.mail.size() == 1);
}
