#include "spam_test_support.h"

#include "spam/block_list.h"

using namespace sbbs;
using namespace sbbs::spam;
using sbbs::test::has_note;
using sbbs::test::remote_session;

TEST_CASE("SMTP-94 CFG-146 email.can on the reverse path: 554 and the session ends", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/email.can", "*@junk.example\n");
    auto rules = inst.rules();
    Decision d = rules.on_reverse_path(remote_session(), "<spammer@junk.example> SIZE=10");
    CHECK(d.kind == Decision::Kind::Refuse);
    CHECK(d.code == 554);
    CHECK(d.text == "Sender not allowed.");
    CHECK(d.close);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].text == "[127.0.0.5] !BLOCKED REVERSE PATH e-mail address: <spammer@junk.example> SIZE=10 ");
    CHECK_FALSE(d.notes[0].client_id);
    CHECK(inst.read("data/spam.log").find("SPAM REFUSED on ") != std::string::npos);
    CHECK(inst.read("data/spam.log").find("Reason: Blocked REVERSE PATH e-mail address: <spammer@junk.example>") !=
          std::string::npos);
    CHECK(inst.read("data/spam.log").find("From: <no name> \r\n") != std::string::npos);   // no to:, host as from
    CHECK_FALSE(rules.on_reverse_path(remote_session(), "<friend@good.example>").decided());
}

TEST_CASE("SMTP-94 SMTP-234 email.can tests the display name too", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/email.can", "Cheap Pills\n");
    CHECK(inst.rules().on_reverse_path(remote_session(), "Cheap Pills <a@b.example>").decided());
}

TEST_CASE("SMTP-229 CFG-129 a '!' line exempts only when name and address both match", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/email.can", "!trusted@spammy.example\n*@spammy.example\n");
    auto rules = inst.rules();
    CHECK_FALSE(rules.on_reverse_path(remote_session(), "<trusted@spammy.example>").decided());
    CHECK(rules.on_reverse_path(remote_session(), "<other@spammy.example>").decided());
    // From: header with another display name: the '!' line does not match both.
    auto s = remote_session();
    CHECK(rules.on_header(s, "From: Trusted Friend <trusted@spammy.example>\r\n").code == 554);
}

TEST_CASE("SMTP-231 email.can: expired lines pass, quiet lines refuse silently", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/email.can", "a@junk.example\te=20000101T000000\nb@junk.example\tq=true\n");
    auto rules = inst.rules();
    CHECK_FALSE(rules.on_reverse_path(remote_session(), "<a@junk.example>").decided());
    Decision d = rules.on_reverse_path(remote_session(), "<b@junk.example>");
    CHECK(d.code == 554);
    CHECK(d.notes.empty());
    CHECK_FALSE(inst.exists("data/spam.log"));
}

TEST_CASE("SMTP-94 SMTP-113 authenticated senders skip email.can", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/email.can", "~\n");
    auto s = remote_session();
    s.authenticated = true;
    auto rules = inst.rules();
    CHECK_FALSE(rules.on_reverse_path(s, "<x@y.example>").decided());
    CHECK_FALSE(rules.on_recipient(s, "x@y.example", "<x@y.example>").decided());
    CHECK_FALSE(rules.on_header(s, "To: x@y.example\r\nSubject: x\r\n").decided());
}

TEST_CASE("SMTP-113 CFG-146 email.can on a recipient: 550 Unknown User, the session continues", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/email.can", "victim@bbs.example\n");
    Decision d = inst.rules().on_recipient(remote_session(), "victim@bbs.example", "<victim@bbs.example> NOTIFY=NEVER");
    CHECK(d.code == 550);
    CHECK(d.text == "Unknown User: <victim@bbs.example> NOTIFY=NEVER");
    CHECK_FALSE(d.close);
    CHECK(has_note(d, "[127.0.0.5] !BLOCKED RECIPIENT e-mail address: victim@bbs.example"));
    std::string log = inst.read("data/spam.log");
    CHECK(log.find("From: <spammer@junk.example> to: victim@bbs.example\r\n") != std::string::npos);
}

TEST_CASE("SMTP-110 SMTP-111 CFG-139 a spam bait is accepted, dropped, and its sender blocked once", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/spambait.cfg", "bait@bbs.example\n");
    inst.paths.spam_block_duration_s = 0;
    auto rules = inst.rules();
    auto s = remote_session();
    s.host = "mx.junk.example";
    Decision d = rules.on_recipient(s, "bait@bbs.example", "<bait@bbs.example>");
    CHECK(d.kind == Decision::Kind::Discard);
    CHECK(d.code == 250);
    CHECK(has_note(d, "SPAM BAIT (bait@bbs.example) taken by: <spammer@junk.example>"));
    CHECK(has_note(d, "!BLOCKING IP ADDRESS: [127.0.0.5] in " + inst.path("ctrl/spamblock.cfg")));
    std::string block = inst.read("ctrl/spamblock.cfg");
    CHECK(block.find("127.0.0.5\tt=") == 0);
    CHECK(block.find("\tp=SMTP\tr=SPAM BAIT (bait@bbs.example) taken\tu=<spammer@junk.example>\th=mx.junk.example\n") !=
          std::string::npos);
    std::string log = inst.read("data/spam.log");
    CHECK(log.find("SPAM IGNORED and BLOCKED on ") != std::string::npos);
    CHECK(log.find("Reason: Attempted recipient in SPAM BAIT list\r\n") != std::string::npos);

    // A second bait from the same IP: no second line, spam.log says IGNORED.
    d = rules.on_recipient(s, "bait@bbs.example", "<bait@bbs.example>");
    CHECK(d.kind == Decision::Kind::Discard);
    CHECK_FALSE(has_note(d, "BLOCKING"));
    CHECK(inst.read("ctrl/spamblock.cfg") == block);
    CHECK(inst.read("data/spam.log").find("SPAM IGNORED on ") != std::string::npos);

    // The next session from that IP is refused.
    CHECK(rules.on_connect(s).text == "CLIENT IP ADDRESS BLOCKED: 127.0.0.5");
}

TEST_CASE("SMTP-111 SpamBlockDuration sets the expiry of the block", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/spambait.cfg", "bait@bbs.example\n");
    inst.paths.spam_block_duration_s = 3600;
    inst.rules().on_recipient(remote_session(), "bait@bbs.example", "<bait@bbs.example>");
    CHECK(inst.read("ctrl/spamblock.cfg").find("\te=") != std::string::npos);
}

TEST_CASE("SMTP-111 CFG-138 exempt, authenticated and DNSBL-listed clients take the bait unblocked", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/spambait.cfg", "bait@bbs.example\n");
    inst.write("ctrl/spamblock_exempt.cfg", "127.0.0.5\n");
    Decision d = inst.rules().on_recipient(remote_session(), "bait@bbs.example", "<bait@bbs.example>");
    CHECK(d.kind == Decision::Kind::Discard);
    CHECK_FALSE(inst.exists("ctrl/spamblock.cfg"));
    CHECK(inst.read("data/spam.log").find("SPAM IGNORED on ") != std::string::npos);

    test::SpamInstall ip_exempt;
    ip_exempt.write("ctrl/spambait.cfg", "bait@bbs.example\n");
    ip_exempt.write("ctrl/ipfilter_exempt.cfg", "127.0.0.0/24\n");
    ip_exempt.rules().on_recipient(remote_session(), "bait@bbs.example", "<bait@bbs.example>");
    CHECK_FALSE(ip_exempt.exists("ctrl/spamblock.cfg"));

    test::SpamInstall auth;
    auth.write("ctrl/spambait.cfg", "bait@bbs.example\n");
    auto s = remote_session();
    s.authenticated = true;
    d = auth.rules().on_recipient(s, "bait@bbs.example", "<bait@bbs.example>");
    CHECK(d.kind == Decision::Kind::Discard);
    CHECK(d.notes.size() == 1);
    CHECK_FALSE(auth.exists("ctrl/spamblock.cfg"));
    CHECK_FALSE(auth.exists("data/spam.log"));

    test::SpamInstall listed;
    listed.write("ctrl/spambait.cfg", "bait@bbs.example\n");
    auto l = remote_session();
    l.dnsbl_listed = true;
    listed.rules().on_recipient(l, "bait@bbs.example", "<bait@bbs.example>");
    CHECK_FALSE(listed.exists("ctrl/spamblock.cfg"));
}

TEST_CASE("SMTP-115 the spam bait is checked before email.can", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/spambait.cfg", "bait@bbs.example\n");
    inst.write("text/email.can", "bait@bbs.example\n");
    CHECK(inst.rules().on_recipient(remote_session(), "bait@bbs.example", "<bait@bbs.example>").kind ==
          Decision::Kind::Discard);
}

// email.can is parsed once and kept while a stat() shows no change
// (ISSUE14): an edit still decides the very next check of the same rules.
TEST_CASE("ISSUE14 CFG-133 email.can edited between two checks counts at the second", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/email.can", "*@aaaa.example\n");
    auto rules = inst.rules();
    CHECK(rules.on_reverse_path(remote_session(), "<x@aaaa.example>").decided());
    CHECK_FALSE(rules.on_reverse_path(remote_session(), "<x@bbbb.example>").decided());
    inst.write("text/email.can", "*@bbbb.example\n");   // same size, same second
    CHECK_FALSE(rules.on_reverse_path(remote_session(), "<x@aaaa.example>").decided());
    CHECK(rules.on_reverse_path(remote_session(), "<x@bbbb.example>").decided());
    std::filesystem::remove(inst.path("text/email.can"));
    CHECK_FALSE(rules.on_reverse_path(remote_session(), "<x@bbbb.example>").decided());
}
