// Issue #13 item 1: a POP3 login reads the index only; exact sizes are
// measured when STAT/LIST need them, in bounded batches, and equal what RETR
// sends; a busy base while measuring answers "try again later".
#include "pop3_fixture.h"

#include <catch.hpp>

#include <algorithm>
#include <map>

using namespace sbbs;
using test::Pop3Fixture;

namespace {

// Counts what the session reads from the store.
struct CountingStore : test::MemoryMailStore {
    int index_reads = 0, message_reads = 0, text_reads = 0, batches = 0, header_batches = 0;
    std::map<uint32_t, int> reads_of;          // per message number
    std::optional<ErrorCode> fail_batches;
    void reset_counts() {
        index_reads = message_reads = text_reads = batches = header_batches = 0;
        reads_of.clear();
    }   // set: every batch fails with it
    Result<std::vector<MailSummary>> list_mailbox(uint32_t user) override {
        ++index_reads;
        return test::MemoryMailStore::list_mailbox(user);
    }
    Result<smb::Message> read(uint32_t number, bool with_text) override {
        ++message_reads;
        text_reads += with_text;
        ++reads_of[number];
        return test::MemoryMailStore::read(number, with_text);
    }
    std::vector<Result<smb::Message>> read_many(const std::vector<uint32_t>& numbers, size_t budget) override {
        ++batches;
        if (fail_batches)
            return {Result<smb::Message>(make_error("mail.shd: timeout locking base header", *fail_batches))};
        return MailStore::read_many(numbers, budget);   // counts through read()
    }
    std::vector<Result<smb::MessageHeader>> read_headers(const std::vector<uint32_t>& numbers) override {
        ++header_batches;
        return MailStore::read_headers(numbers);
    }
};

// `n` messages for Alice (user 2), bodies of different lengths, some with dots.
void fill(CountingStore& store, int n) {
    for (int i = 0; i < n; ++i) {
        NewMessage m;
        smb::Message lm = test::local_mail((i % 3 == 0 ? ".dot " : "line ") + std::string(size_t(i * 7 % 300), 'x') +
                                           "\r\nsecond " + std::to_string(i) + "  \r\n");
        m.hdr = lm.hdr;
        m.body = lm.body;
        RecipientCopy c;
        c.append.push_back({smb::hf::RECIPIENTEXT, "2"});
        (void)store.add_mail(m, {c});
    }
    store.reset_counts();
}

std::vector<std::string> run(Pop3Fixture& f, MailStore& store, const std::vector<std::string>& cmds,
                             size_t budget = size_t(8) << 20, pop3::SizeMemo* memo = nullptr,
                             bool exact_text = true) {
    f.io.output.clear();
    f.io.input.clear();
    for (auto& l : {"USER Alice", "PASS Secret"}) f.io.send(l);
    for (auto& l : cmds) f.io.send(l);
    Pop3Session s(f.cfg, f.users, store, f.log, f.attempts, false);
    s.set_mailbox_locks(&f.locks);
    s.set_retr_cache_budget(budget);
    s.set_size_memo(memo);
    s.set_exact_text(exact_text);
    s.run(f.io);
    return f.io.lines();
}

// The octets of each "+OK message follows" reply's message, un-stuffed, in order.
std::vector<size_t> retrieved_sizes(const std::string& wire) {
    std::vector<size_t> out;
    const std::string ok = "+OK message follows\r\n";
    for (size_t a = wire.find(ok); a != std::string::npos; a = wire.find(ok, a)) {
        a += ok.size();
        size_t end = wire.find("\r\n.\r\n", a - 2);
        size_t n = 0;
        for (size_t p = a; p < end + 2;) {
            size_t e = wire.find("\r\n", p);
            n += e + 2 - p - (wire[p] == '.' && e > p + 1 ? 1 : 0);
            p = e + 2;
        }
        out.push_back(n);
        a = end;
    }
    return out;
}

} // namespace

TEST_CASE("ISSUE13-1 POP3-49 POP3-74 a login on a large mailbox reads the index only; UIDL reads no message",
          "[pop3]") {
    Pop3Fixture f;
    CountingStore store;
    fill(store, 300);
    auto out = run(f, store, {"UIDL", "QUIT"});
    REQUIRE(out.size() == 3 + 302 + 1);
    CHECK(out[2] == "+OK 300 messages");         // no octets: they would need every message read
    CHECK(out[3] == "+OK 300 messages");
    CHECK(out[4] == "1 1");
    CHECK(out[303] == "300 300");
    CHECK(out.back() == "+OK");
    CHECK(store.message_reads == 0);
    CHECK(store.batches == 0);
    CHECK(store.index_reads == 2);               // the login's snapshot, UIDL's presence check
}

TEST_CASE("ISSUE13-1 POP3-53 STAT measures a large mailbox in bounded batches, each message read once", "[pop3]") {
    Pop3Fixture f;
    CountingStore store;
    fill(store, 300);
    auto out = run(f, store, {"STAT", "STAT", "QUIT"});
    REQUIRE(out.size() == 6);
    RenderContext ctx;
    ctx.inet_addr = f.cfg->msgs.inet_addr;
    ctx.system_name = f.cfg->sys.name;
    size_t expected = 0;
    for (auto& [n, m] : store.mail) expected += render_message(m, ctx).octets();
    CHECK(out[3] == "+OK 300 " + std::to_string(expected));
    CHECK(out[4] == out[3]);                     // measured once, remembered for the session
    CHECK(store.batches == int((300 + pop3::Mailbox::BATCH_MESSAGES - 1) / pop3::Mailbox::BATCH_MESSAGES));
    CHECK(store.message_reads == 300);
    CHECK(std::all_of(store.reads_of.begin(), store.reads_of.end(), [](auto& r) { return r.second == 1; }));
}

TEST_CASE("ISSUE13-1 POP3-53 POP3-70 POP3-72 sizes measured lazily equal the octets RETR sends", "[pop3]") {
    for (size_t budget : {size_t(0), size_t(8) << 20}) {
        Pop3Fixture f;
        CountingStore store;
        fill(store, 150);
        std::vector<std::string> cmds = {"LIST 150", "LIST 1", "LIST"};
        for (int n = 1; n <= 150; ++n) cmds.push_back("RETR " + std::to_string(n));
        cmds.push_back("QUIT");
        auto out = run(f, store, cmds, budget);
        REQUIRE(out.size() > 156);
        std::vector<size_t> listed;
        for (size_t i = 6; i < 6 + 150; ++i) listed.push_back(std::stoul(out[i].substr(out[i].find(' ') + 1)));
        CHECK(out[3] == "+OK 150 " + std::to_string(listed[149]));
        CHECK(out[4] == "+OK 1 " + std::to_string(listed[0]));
        size_t total = 0;
        for (size_t s : listed) total += s;
        CHECK(out[5] == "+OK 150 messages (" + std::to_string(total) + " bytes)");
        CHECK(retrieved_sizes(f.io.output) == listed);
    }
}

TEST_CASE("ISSUE13-1 POP3-55 a base busy while STAT measures answers -ERR try again later, not a wrong size",
          "[pop3]") {
    Pop3Fixture f;
    CountingStore store;
    fill(store, 100);
    store.fail_batches = ErrorCode::Locked;
    auto out = run(f, store, {"UIDL 3", "STAT", "QUIT"});
    REQUIRE(out.size() == 5);                    // the session ends after the -ERR
    CHECK(out[2] == "+OK 100 messages");
    CHECK(out[3] == "+OK 3 3");
    CHECK(out[4] == "-ERR [SYS/TEMP] mailbox busy, try again later");
    CHECK(f.log.level_of("<Alice> !ERROR message #1: mail.shd: timeout locking base header (mailbox busy") ==
          LogLevel::Warning);
}

TEST_CASE("ISSUE13-1 POP3-54 a broken message found while measuring ends the session with -ERR", "[pop3]") {
    Pop3Fixture f;
    CountingStore store;
    fill(store, 100);
    store.fail_batches = ErrorCode::Corrupt;
    auto out = run(f, store, {"LIST", "QUIT"});
    REQUIRE(out.size() == 4);
    CHECK(out[3] == "-ERR message #1: mail.shd: timeout locking base header");
}

TEST_CASE("ISSUE13-1 POP3-77 a message deleted by another program before it was measured is left out", "[pop3]") {
    Pop3Fixture f;
    CountingStore store;
    fill(store, 100);
    f.io.before_read = [&](const std::string& line) {
        if (line == "LIST") store.mail.erase(5);   // purged meanwhile
    };
    auto out = run(f, store, {"LIST", "RETR 5", "QUIT"});
    REQUIRE(out.size() == 3 + 101 + 2);
    CHECK(out[3].rfind("+OK 99 messages (", 0) == 0);      // counts what it lists
    CHECK(out[7].rfind("4 ", 0) == 0);
    CHECK(out[8].rfind("6 ", 0) == 0);
    CHECK(out[104] == "-ERR message deleted");
}

TEST_CASE("ISSUE13-review POP3-53 POP3-77 RFC1939 STAT and LIST agree on a message purged before it was measured",
          "[pop3]") {
    Pop3Fixture f;
    CountingStore store;
    fill(store, 100);
    size_t listed_bytes = 0;
    f.io.before_read = [&](const std::string& line) {
        if (line == "STAT") store.mail.erase(5);   // purged by another program meanwhile
    };
    auto out = run(f, store, {"STAT", "LIST", "QUIT"});
    REQUIRE(out.size() == 3 + 1 + 101 + 1);
    size_t listed = 0;
    for (size_t i = 5; i < 5 + 99; ++i) {
        ++listed;
        listed_bytes += std::stoul(out[i].substr(out[i].find(' ') + 1));
    }
    CHECK(out[104] == ".");
    CHECK(out[3] == "+OK " + std::to_string(listed) + " " + std::to_string(listed_bytes));
}

TEST_CASE("ISSUE13-1 a repeat login + STAT of an unchanged mailbox reads headers only, no text", "[pop3]") {
    Pop3Fixture f;
    CountingStore store;
    pop3::SizeMemo memo;
    fill(store, 300);
    auto first = run(f, store, {"STAT", "QUIT"}, 0, &memo);
    CHECK(store.text_reads == 300);
    CHECK(memo.size() == 300);
    store.reset_counts();
    auto again = run(f, store, {"STAT", "LIST", "QUIT"}, 0, &memo);
    CHECK(again[3] == first[3]);
    CHECK(store.text_reads == 0);
    CHECK(store.batches == 0);
    CHECK(store.header_batches == 1);          // 300 headers in one hold (BATCH_HEADERS)
    // The remembered sizes are still what RETR sends.
    store.reset_counts();
    auto retr = run(f, store, {"LIST 7", "RETR 7", "QUIT"}, 0, &memo);
    CHECK(retr[3] == "+OK 7 " + std::to_string(retrieved_sizes(f.io.output).at(0)));
}

TEST_CASE("ISSUE13-1 remembered sizes are not used for a changed message or changed render settings", "[pop3]") {
    Pop3Fixture f;
    CountingStore store;
    pop3::SizeMemo memo;
    fill(store, 100);
    run(f, store, {"STAT", "QUIT"}, 0, &memo);
    // Another program rewrites message 5's header (a longer subject).
    for (auto& fld : store.mail[5].hdr.fields)
        if (fld.type == smb::hf::SUBJECT) fld.data = "A much longer subject than before";
    store.reset_counts();
    auto out = run(f, store, {"LIST 5", "RETR 5", "QUIT"}, 0, &memo);
    CHECK(out[3] == "+OK 5 " + std::to_string(retrieved_sizes(f.io.output).at(0)));
    CHECK(store.reads_of[5] >= 2);               // measured again (and read for RETR)
    // A READ mark does not change the rendering: still remembered.
    store.mail[6].hdr.attr |= smb::attr::READ;
    store.reset_counts();
    run(f, store, {"LIST 6", "QUIT"}, 0, &memo);
    CHECK(store.text_reads == 0);
    // Other render settings: everything is measured again.
    store.reset_counts();
    auto original = run(f, store, {"LIST 9", "RETR 9", "QUIT"}, 0, &memo, false);
    CHECK(store.text_reads >= 2);
    CHECK(original[3] == "+OK 9 " + std::to_string(retrieved_sizes(f.io.output).at(0)));
}

TEST_CASE("ISSUE13-1 the size memo is bounded: the oldest sizes go first", "[pop3]") {
    pop3::SizeMemo memo(2);
    memo.remember({1, 0}, 1);
    memo.remember({2, 0}, 2);
    memo.remember({3, 0}, 3);
    CHECK(memo.size() == 2);
    CHECK_FALSE(memo.find({1, 0}));
    CHECK(memo.find({3, 0}) == std::optional<size_t>(3));
}
