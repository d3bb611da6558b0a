#include "spam_test_support.h"

using namespace sbbs;
using namespace sbbs::spam;
using sbbs::test::has_note;
using sbbs::test::remote_session;

TEST_CASE("SMTP-175 CFG-151 a twit-listed From: is refused with 554, even when authenticated", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/twitlist.cfg", "; twits\nTroll Face\n");
    auto rules = inst.rules();
    auto s = remote_session();
    s.reverse_path = "<innocent@good.example>";
    s.last_rcpt = "sysop@bbs.example";
    Decision d = rules.on_message(s, "From: Troll Face <troll@good.example>\r\nSubject: hi\r\n");
    CHECK(d.code == 554);
    CHECK(d.text == "Sender not allowed.");
    CHECK_FALSE(d.close);
    CHECK(has_note(d, "!FILTERING TWIT-LISTED SENDER: 'Troll Face' <troll@good.example> (1 total)"));
    std::string log = inst.read("data/spam.log");
    CHECK(log.find("Reason: Twit-listed sender: 'Troll Face' <troll@good.example>") != std::string::npos);
    CHECK(log.find("From: <innocent@good.example> to: sysop@bbs.example") != std::string::npos);
    s.authenticated = true;
    CHECK(rules.on_message(s, "From: Troll Face <troll@good.example>\r\n").decided());
    CHECK_FALSE(rules.on_message(s, "From: Nice <nice@good.example>\r\n").decided());
}

TEST_CASE("SMTP-167 CFG-151 without From: the envelope sender and its local part are checked", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/twitlist.cfg", "troll\n");
    auto s = remote_session();
    s.reverse_path = "<troll@good.example>";
    CHECK(inst.rules().on_message(s, "Subject: hi\r\n").decided());
    // The last From: line wins.
    CHECK_FALSE(inst.rules().on_message(s, "From: troll@x.example\r\nFrom: ok@x.example\r\n").decided());
    auto n = AntiSpam::sender_of(s, "");
    CHECK(n.name == "troll");
    CHECK(n.address == "troll@good.example");
}

TEST_CASE("SMTP-181 CFG-147 subject.can refuses with 554 Subject not allowed.", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/subject.can", "viagra~\nold offer\te=20000101T000000\n");
    auto rules = inst.rules();
    auto s = remote_session();
    s.last_rcpt = "sysop@bbs.example";
    Decision d = rules.on_header(s, "From: a@b.example\r\nSubject: Cheap VIAGRA here\r\n");
    CHECK(d.code == 554);
    CHECK(d.text == "Subject not allowed.");
    CHECK_FALSE(d.close);
    CHECK(has_note(d, "!BLOCKED SUBJECT (Cheap VIAGRA here) from: <spammer@junk.example> (1 total)"));
    CHECK(inst.read("data/spam.log").find("Reason: Blocked subject (Cheap VIAGRA here) from: <spammer@junk.example>") !=
          std::string::npos);
    CHECK_FALSE(rules.on_header(s, "Subject: old offer\r\n").decided());          // SMTP-231: expired
    CHECK_FALSE(rules.on_header(s, "Subject: fine\r\n more viagra\r\n").decided()); // folded text is not tested
    s.authenticated = true;
    CHECK_FALSE(rules.on_header(s, "Subject: viagra\r\n").decided());
}

TEST_CASE("SMTP-181 email.can on From: (554) and To: (550, not after a spam bait), first line decides", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/email.can", "*@junk.example\nvictim@bbs.example\n");
    auto rules = inst.rules();
    auto s = remote_session();
    Decision d = rules.on_header(s, "From: Spammer <x@junk.example>\r\n");
    CHECK(d.code == 554);
    CHECK(d.text == "Sender not allowed.");
    CHECK(has_note(d, "!BLOCKED FROM e-mail address: Spammer <x@junk.example>"));
    d = rules.on_header(s, "To: victim@bbs.example\r\nFrom: Spammer <x@junk.example>\r\n");
    CHECK(d.code == 550);
    CHECK(d.text == "Unknown user.");
    s.spam_bait = true;
    CHECK(rules.on_header(s, "To: victim@bbs.example\r\n").kind == Decision::Kind::Pass);
}

TEST_CASE("SMTP-194 a spam-bait transaction is accepted and dropped", "[spam]") {
    test::SpamInstall inst;
    auto rules = inst.rules();
    auto s = remote_session();
    CHECK_FALSE(rules.on_store(s, "From: A <a@b.example>\r\n").decided());
    s.spam_bait = true;
    s.last_rcpt = "bait@bbs.example";
    Decision d = rules.on_store(s, "From: A <a@b.example>\r\n");
    CHECK(d.kind == Decision::Kind::Discard);
    CHECK(d.code == 250);
    CHECK(has_note(d, "!IGNORED SPAM MESSAGE from 'A' <a@b.example> to <bait@bbs.example> (1 total)"));
}

TEST_CASE("SMTP-236 SMTP-181 control characters of a subject do not reach spam.log", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/subject.can", "buy~\n");
    Decision d = inst.rules().on_header(remote_session(), "Subject: buy\x1b[2J now\r\n");
    REQUIRE(d.decided());
    CHECK(inst.read("data/spam.log").find('\x1b') == std::string::npos);
    CHECK(inst.read("data/spam.log").find("Reason: Blocked subject (buy^[[2J now)") != std::string::npos);
}
