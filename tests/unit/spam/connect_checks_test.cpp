#include "spam_test_support.h"

using namespace sbbs;
using namespace sbbs::spam;
using sbbs::test::has_note;
using sbbs::test::remote_session;

TEST_CASE("SMTP-27 CFG-137 an IP in spamblock.cfg is refused at connect", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/spamblock.cfg", "; comment\n127.0.0.5\n");
    auto rules = inst.rules();
    Decision d = rules.on_connect(remote_session());
    CHECK(d.kind == Decision::Kind::Refuse);
    CHECK(d.code == 550);
    CHECK(d.text == "CLIENT IP ADDRESS BLOCKED: 127.0.0.5");
    CHECK(d.close);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].text == "!CLIENT BLOCKED in " + inst.path("ctrl/spamblock.cfg") + " (1 total)");
    CHECK(d.notes[0].level == LogLevel::Notice);
    CHECK(rules.on_connect(remote_session()).notes[0].text.find("(2 total)") != std::string::npos);
}

TEST_CASE("SMTP-28 spamblock.cfg matches the IP only, with CIDR and wildcards", "[spam]") {
    test::SpamInstall inst;
    auto s = remote_session();
    s.host = "spam.example";
    inst.write("ctrl/spamblock.cfg", "spam.example\n");
    CHECK_FALSE(inst.rules().on_connect(s).decided());
    inst.write("ctrl/spamblock.cfg", "127.0.0.0/29\n");
    CHECK(inst.rules().on_connect(s).decided());
    inst.write("ctrl/spamblock.cfg", "127.0.0.*\n");
    CHECK(inst.rules().on_connect(s).decided());
    inst.write("ctrl/spamblock.cfg", "127.0.0.8/29\n");
    CHECK_FALSE(inst.rules().on_connect(s).decided());
}

TEST_CASE("SMTP-29 an expired spamblock.cfg line no longer blocks (ours)", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/spamblock.cfg", "127.0.0.5\tt=20000101T000000\te=20000102T000000\n");
    CHECK_FALSE(inst.rules().on_connect(remote_session()).decided());
}

TEST_CASE("SMTP-27 CFG-138 spamblock_exempt.cfg lifts the block by IP or host name", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/spamblock.cfg", "127.0.0.5\n");
    inst.write("ctrl/spamblock_exempt.cfg", "friend.example\n");
    auto s = remote_session();
    CHECK(inst.rules().on_connect(s).decided());
    s.host = "friend.example";
    CHECK_FALSE(inst.rules().on_connect(s).decided());
    // ... but not from ip.can.
    inst.write("text/ip.can", "127.0.0.5\n");
    CHECK(inst.rules().on_connect(s).decided());
}

TEST_CASE("SMTP-30 CFG-143 ip.can: 550 with the entry's details in the log", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/ip.can", "10.0.0.0/8\n127.0.0.5\tt=20260821T220747-0700\tr=Too many\tp=SMTP\n");
    auto rules = inst.rules();
    Decision d = rules.on_connect(remote_session());
    CHECK(d.code == 550);
    CHECK(d.text == "CLIENT IP ADDRESS BLOCKED: 127.0.0.5");
    CHECK(d.close);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].text == "!CLIENT BLOCKED in " + inst.path("text/ip.can") +
                                 " since Aug 21 22:07:47 2026 for Too many using SMTP (1 total)");
}

TEST_CASE("SMTP-30 SMTP-231 quiet (q=) entries refuse without a log line; expired ones do not refuse", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/ip.can", "127.0.0.5\tq=true\n");
    Decision d = inst.rules().on_connect(remote_session());
    CHECK(d.decided());
    CHECK(d.notes.empty());
    inst.write("text/ip.can", "127.0.0.5\te=20000101T000000\n");
    CHECK_FALSE(inst.rules().on_connect(remote_session()).decided());
    inst.write("text/host.can", "bad.example\tq=1\n");
    auto s = remote_session();
    s.host = "bad.example";
    d = inst.rules().on_connect(s);
    CHECK(d.text == "CLIENT HOSTNAME BLOCKED: bad.example");
    CHECK(d.notes.empty());
}

TEST_CASE("SMTP-30 CFG-145 host.can: 550 CLIENT HOSTNAME BLOCKED, after ip.can", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/host.can", "*.dialup.example\n");
    auto s = remote_session();
    s.host = "pool-1.dialup.example";
    Decision d = inst.rules().on_connect(s);
    CHECK(d.code == 550);
    CHECK(d.text == "CLIENT HOSTNAME BLOCKED: pool-1.dialup.example");
    CHECK(has_note(d, "!CLIENT BLOCKED in " + inst.path("text/host.can") + ": pool-1.dialup.example  (1 total)"));
    inst.write("text/ip.can", "127.0.0.5\n");
    CHECK(inst.rules().on_connect(s).text == "CLIENT IP ADDRESS BLOCKED: 127.0.0.5");
    inst.write("ctrl/spamblock.cfg", "127.0.0.5\n");   // spamblock.cfg is checked first
    CHECK(has_note(inst.rules().on_connect(s), "spamblock.cfg"));
}

TEST_CASE("SMTP-228 without a host name, host.can is matched against <no name>", "[spam]") {
    test::SpamInstall inst;
    inst.write("text/host.can", "<no name>\n");
    CHECK(inst.rules().on_connect(remote_session()).text == "CLIENT HOSTNAME BLOCKED: <no name>");
}

TEST_CASE("SMTP-25 CFG-142 ipfilter_exempt.cfg (IP or host) skips every connection check", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/spamblock.cfg", "127.0.0.5\n");
    inst.write("text/ip.can", "127.0.0.5\n");
    inst.write("ctrl/ipfilter_exempt.cfg", "127.0.0.5\n");
    CHECK_FALSE(inst.rules().on_connect(remote_session()).decided());
    inst.write("ctrl/ipfilter_exempt.cfg", "trusted.example\n");
    auto s = remote_session();
    s.host = "trusted.example";
    CHECK_FALSE(inst.rules().on_connect(s).decided());
}

TEST_CASE("SMTP-24 CFG-150 a client on the server's own address is never blocked", "[spam]") {
    test::SpamInstall inst;
    inst.write("ctrl/spamblock.cfg", "~\n");
    inst.write("text/ip.can", "~\n");
    inst.write("text/host.can", "~\n");
    auto s = remote_session();
    s.ip = s.server_ip = "127.0.0.1";
    CHECK_FALSE(inst.rules().on_connect(s).decided());
    CHECK(inst.rules().on_connect(remote_session()).decided());
}

TEST_CASE("SMTP-232 CFG-133 cached lists are re-read when changed (cache_filter_files 0)", "[spam]") {
    test::SpamInstall inst;
    auto rules = inst.rules();
    CHECK_FALSE(rules.on_connect(remote_session()).decided());
    inst.write("text/ip.can", "127.0.0.5\n");
    CHECK(rules.on_connect(remote_session()).decided());
}
