#include "spam/block_list.h"

#include "spam_test_support.h"

#include <regex>
#include <sys/stat.h>
#include <thread>
#include <vector>

using namespace sbbs;
using namespace sbbs::spam;

TEST_CASE("CFG-134 SMTP-235 auto-block line shape", "[spam]") {
    std::time_t now = 1'787'000'000;
    CHECK(std::regex_match(list_time_text(now), std::regex(R"(\d{8}T\d{6}(Z|[+-]\d{4}))")));
    BlockRequest r{"192.0.2.7", "mx.example", "SMTP", "SPAM BAIT (bait@bbs.example) taken", "<a@b>", 0};
    CHECK(block_line(r, now) == "192.0.2.7\tt=" + list_time_text(now) +
                                    "\tp=SMTP\tr=SPAM BAIT (bait@bbs.example) taken\tu=<a@b>\th=mx.example\n");
    r.duration_s = 3600;
    r.host = "<no name>";
    CHECK(block_line(r, now) == "192.0.2.7\tt=" + list_time_text(now) +
                                    "\tp=SMTP\tr=SPAM BAIT (bait@bbs.example) taken\te=" +
                                    list_time_text(now + 3600) + "\tu=<a@b>\n");
}

TEST_CASE("CFG-134 an address is added once; an expired line is pruned first; exempt clients never", "[spam]") {
    test::SpamInstall inst;
    const std::string path = inst.path("ctrl/spamblock.cfg");
    inst.write("ctrl/spamblock.cfg", "; spam blockers\n");
    std::time_t now = std::time(nullptr);
    BlockRequest r{"192.0.2.7", "", "SMTP", "why", "", 0};
    PatternList none;
    CHECK(*add_blocked_ip(path, r, none, now) == true);
    CHECK(*add_blocked_ip(path, r, none, now) == false);            // already listed
    CHECK(inst.read("ctrl/spamblock.cfg") == "; spam blockers\n" + block_line(r, now));

    inst.write("ctrl/spamblock.cfg", "; keep\n192.0.2.7\te=20000101T000000\n10.0.0.1\te=20000101T000000\n");
    CHECK(*add_blocked_ip(path, r, none, now) == true);
    CHECK(inst.read("ctrl/spamblock.cfg") == "; keep\n" + block_line(r, now));

    PatternList exempt = PatternList::parse("192.0.2.0/24\n", "ipfilter_exempt.cfg", nullptr);
    BlockRequest other{"192.0.2.9", "", "SMTP", "why", "", 0};
    CHECK(*add_blocked_ip(path, other, exempt, now) == false);
    CHECK(inst.read("ctrl/spamblock.cfg").find("192.0.2.9") == std::string::npos);

    BlockRequest fresh{"198.51.100.1", "", "SMTP", "why", "", 0};
    CHECK(*add_blocked_ip(inst.path("ctrl/new.cfg"), fresh, none, now) == true);   // created when missing
}

TEST_CASE("CFG-134 hostile values cannot add list lines or metadata items", "[spam]") {
    BlockRequest r{"192.0.2.7", "evil\n*\tq=1", "SMTP", "SPAM BAIT (x) taken", "<a\tb@c>", 0};
    std::string line = block_line(r, 1'787'000'000);
    CHECK(line.find('\n') == line.size() - 1);
    CHECK(line.find("\th=evil^J*^Iq=1\n") != std::string::npos);
    CHECK(line.find("\tu=<a^Ib@c>") != std::string::npos);
}

TEST_CASE("REVIEW-7 CFG-134 sessions adding one address at once write one line; a prune keeps the file's mode",
          "[spam]") {
    test::SpamInstall inst;
    const std::string path = inst.path("text/ip.can");
    const std::time_t now = std::time(nullptr);
    inst.write("text/ip.can", "; blocked\n192.0.2.1\tt=20200101T000000Z\te=20200102T000000Z\n");
    REQUIRE(::chmod(path.c_str(), 0640) == 0);
    PatternList none;
    CHECK(*add_blocked_ip(path, BlockRequest{"192.0.2.1", "", "SMTP", "again", "", 0}, none, now));
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    for (int round = 0; round < 20; ++round) {
        const std::string ip = "198.51.100." + std::to_string(round);
        std::vector<std::thread> sessions;
        for (int t = 0; t < 8; ++t)
            sessions.emplace_back([&] { (void)add_blocked_ip(path, BlockRequest{ip, "", "POP3", "x", "", 0}, none, now); });
        for (auto& s : sessions) s.join();
    }
    const std::string text = inst.read("text/ip.can");
    for (int round = 0; round < 20; ++round) {
        const std::string line = "198.51.100." + std::to_string(round) + "\t";
        size_t count = 0;
        for (size_t at = text.find(line); at != std::string::npos; at = text.find(line, at + 1))
            count += at == 0 || text[at - 1] == '\n';
        CHECK(count == 1);
    }
    CHECK(text.find("e=20200102T000000Z") == std::string::npos);
}
