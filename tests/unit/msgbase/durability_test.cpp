// Crash safety of adds: a child process is SIGKILLed at every write step of
// an add (and at random instants over many adds); the base must then open,
// pass the checker with no leaked space (issue #13), and hold every message
// whose add had returned.
#include "fixture_support.h"

#include "msgbase/checker.h"
#include "msgbase/smb_base.h"
#include "owned_message.h"

#include <catch.hpp>

#include <csignal>
#include <random>
#include <sys/wait.h>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

test::OwnedMessage numbered(int seq, bool sub) {
    test::OwnedMessage m("body of message " + std::to_string(seq) + "\r\n" + std::string(size_t(seq % 7) * 150, 'b'));
    m.hdr.add(hf::SENDER, "Writer");
    m.hdr.add(hf::SENDEREXT, "1");
    if (sub) m.hdr.add(hf::RECIPIENT, "All");
    m.hdr.add(hf::SUBJECT, "message " + std::to_string(seq));
    m.hdr.add(hf::RFC822MSGID, "<" + std::to_string(seq) + "." + std::to_string(getpid()) + "@test>");
    if (seq % 2) m.tail = "tail " + std::to_string(seq);
    return m;
}

std::vector<RecipientCopy> two_users() {
    std::vector<RecipientCopy> c(2);
    c[0].append = {{hf::RECIPIENT, "A"}, {hf::RECIPIENTEXT, "2"}};
    c[1].append = {{hf::RECIPIENT, "B"}, {hf::RECIPIENTEXT, "3"}};
    return c;
}

BaseOptions options(uint16_t attr, bool durable) {
    BaseOptions o;
    o.create = true;
    o.create_status.attr = attr;
    o.durable = durable;
    o.retry_time_s = 5;
    return o;
}

// Checks every message added earlier: number -> subject sequence number.
void verify(const std::string& prefix, const std::map<uint32_t, int>& expected, bool sub) {
    auto b = SmbBase::open(prefix, options(0, true));             // runs recovery
    REQUIRE(b.ok());
    INFO(problems(prefix));
    CHECK(problems(prefix).empty());
    for (auto [number, seq] : expected) {
        auto m = (*b)->read_message(number, true);
        REQUIRE(m.ok());
        auto want = numbered(seq, sub);
        CHECK(m->hdr.get(hf::SUBJECT) == want.hdr.get(hf::SUBJECT));
        CHECK(m->body == want.body);
        CHECK(m->tail == want.tail);
    }
}

} // namespace

TEST_CASE("ISSUE13-3 durability: SIGKILL at every write step of an add leaves a fully clean base (no leaked space) with earlier messages intact") {
    const char* steps[] = {"hash", "data", "journal", "sda", "header", "synced", "index", "index-synced",
                           "sha", "id", "status", "done"};
    for (bool sub : {false, true}) {
        for (const char* step : steps) {
            DYNAMIC_SECTION((sub ? "sub " : "mail ") << step) {
                TempDir d;
                auto p = d.prefix(sub ? "sub" : "mail");
                uint16_t attr = sub ? 0 : status_attr::EMAIL;
                std::map<uint32_t, int> expected;
                {
                    auto b = SmbBase::open(p, options(attr, true));
                    REQUIRE(b.ok());
                    for (int seq = 1; seq <= 3; ++seq) {
                        auto n = (*b)->add(numbered(seq, sub), sub ? std::vector<RecipientCopy>{} : two_users());
                        REQUIRE(n.ok());
                        for (auto x : *n) expected[x] = seq;
                    }
                }
                pid_t pid = fork();
                REQUIRE(pid >= 0);
                if (pid == 0) {
                    auto b = SmbBase::open(p, options(attr, true));
                    if (!b) _exit(2);
                    std::string target = step;
                    (*b)->set_write_hook([&](const char* s) { if (target == s) raise(SIGKILL); });
                    auto n = (*b)->add(numbered(4, sub), sub ? std::vector<RecipientCopy>{} : two_users());
                    _exit(n.ok() ? 0 : 3);
                }
                int status = 0;
                waitpid(pid, &status, 0);
                bool reached = std::string(step) != "hash" || sub;
                if (reached) CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
                else CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
                verify(p, expected, sub);
                // Past the commit point the message is rolled forward, before it, it is invisible.
                auto b = SmbBase::open(p, options(attr, true));
                REQUIRE(b.ok());
                auto idx = (*b)->read_index(true);
                REQUIRE(idx.ok());
                bool committed = std::string(step) == "index" || std::string(step) == "index-synced" ||
                                 std::string(step) == "sha" || std::string(step) == "id" ||
                                 std::string(step) == "status" || std::string(step) == "done" || !reached;
                CHECK(idx->size() == expected.size() + (committed ? (sub ? 1 : 2) : 0));
                // And the base keeps working.
                auto n = (*b)->add(numbered(5, sub), sub ? std::vector<RecipientCopy>{} : two_users());
                REQUIRE(n.ok());
                for (auto x : *n) expected[x] = 5;
                CHECK(problems(p).empty());
                verify(p, expected, sub);
            }
        }
    }
}

TEST_CASE("durability: random SIGKILLs over many adds lose no returned message") {
    TempDir d;
    auto p = d.prefix("mail");
    std::map<uint32_t, int> expected;
    std::mt19937 rng(12345);
    int seq = 0;
    for (int round = 0; round < 12; ++round) {
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        int first = seq + 1;
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            auto b = SmbBase::open(p, options(status_attr::EMAIL, false));
            if (!b) _exit(2);
            for (int s = first; s < first + 100000; ++s) {
                auto n = (*b)->add(numbered(s, false), two_users());
                if (!n) _exit(3);
                for (auto x : *n) {
                    uint32_t rec[2] = {x, uint32_t(s)};
                    if (write(fds[1], rec, sizeof rec) != sizeof rec) _exit(4);
                }
            }
            _exit(0);
        }
        close(fds[1]);
        sleep_ms(5 + rng() % 40);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        uint32_t rec[2];
        while (read(fds[0], rec, sizeof rec) == sizeof rec) {
            expected[rec[0]] = int(rec[1]);
            seq = std::max(seq, int(rec[1]));
        }
        close(fds[0]);
        seq += 1;                                                  // the killed add's sequence
        verify(p, expected, false);
    }
    CHECK(expected.size() > 12);
}

TEST_CASE("ISSUE13-3 durability: SIGKILL at every write step of a batched add commits all of the batch or none of it, leaking nothing") {
    struct Kill { const char* step; int nth; };
    const Kill kills[] = {{"hash", 1}, {"data", 1}, {"data", 2}, {"journal", 2}, {"sda", 2}, {"header", 1}, {"header", 3},
                          {"synced", 1}, {"index", 1}, {"index-synced", 1}, {"sha", 1}, {"id", 1},
                          {"id", 3}, {"status", 1}, {"done", 1}};
    for (bool sub : {false, true}) {
        for (const Kill& kill : kills) {
            DYNAMIC_SECTION((sub ? "sub " : "mail ") << kill.step << " #" << kill.nth) {
                TempDir d;
                auto p = d.prefix(sub ? "sub" : "mail");
                uint16_t attr = sub ? 0 : status_attr::EMAIL;
                auto copies = sub ? std::vector<RecipientCopy>{} : two_users();
                std::map<uint32_t, int> expected;
                {
                    auto b = SmbBase::open(p, options(attr, true));
                    REQUIRE(b.ok());
                    auto n = (*b)->add(numbered(1, sub), copies);
                    REQUIRE(n.ok());
                    for (auto x : *n) expected[x] = 1;
                }
                pid_t pid = fork();
                REQUIRE(pid >= 0);
                if (pid == 0) {
                    auto b = SmbBase::open(p, options(attr, true));
                    if (!b) _exit(2);
                    int seen = 0;
                    std::string target = kill.step;
                    (*b)->set_write_hook([&](const char* s) { if (target == s && ++seen == kill.nth) raise(SIGKILL); });
                    auto m2 = numbered(2, sub), m3 = numbered(3, sub), m4 = numbered(4, sub);
                    auto r = (*b)->add_batch({{&m2, &copies}, {&m3, &copies}, {&m4, &copies}});
                    _exit(r.size() == 3 && r[0].ok() && r[1].ok() && r[2].ok() ? 0 : 3);
                }
                int status = 0;
                waitpid(pid, &status, 0);
                bool reached = std::string(kill.step) != "hash" || sub;
                if (reached) CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
                else CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
                verify(p, expected, sub);
                std::string step = kill.step;
                bool committed = !reached || step == "index" || step == "index-synced" || step == "sha" ||
                                 step == "id" || step == "status" || step == "done";
                auto b = SmbBase::open(p, options(attr, true));
                REQUIRE(b.ok());
                auto idx = (*b)->read_index(true);
                REQUIRE(idx.ok());
                size_t per = sub ? 1 : 2;
                CHECK(idx->size() == expected.size() + (committed ? 3 * per : 0));
                if (committed)                                     // every message of the batch, once
                    for (int seq = 2; seq <= 4; ++seq)
                        for (size_t k = 0; k < per; ++k) expected[uint32_t(1 + (seq - 1) * per + k)] = seq;
                verify(p, expected, sub);
                auto n = (*b)->add(numbered(5, sub), copies);
                REQUIRE(n.ok());
                for (auto x : *n) expected[x] = 5;
                CHECK(problems(p).empty());
                verify(p, expected, sub);
            }
        }
    }
}
