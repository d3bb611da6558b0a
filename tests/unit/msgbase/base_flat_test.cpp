// Issue #14, accept cost flat in base size: the RCPT counts remembered per
// base (IndexTally) and the first-fit scan started where the last add left
// off (AllocHint) must stay exact, must see what the BBS changes in place
// within their bounds, and must never place data over anyone's.
#include "fixture_support.h"

#include "msgbase/checksum.h"
#include "msgbase/index_tally.h"
#include "msgbase/smb_internal.h"
#include "msgbase/smb_mail_store.h"
#include "owned_message.h"

#include <catch.hpp>

#include <chrono>
#include <map>
#include <random>
#include <thread>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

OwnedMessage letter(uint32_t sender, int i, size_t text_bytes = 40) {
    OwnedMessage m("letter " + std::to_string(i) + "\r\n" + std::string(text_bytes, char('a' + i % 26)) + "\r\n");
    m.hdr.add(hf::SENDER, "Sender");
    m.hdr.add(hf::SENDEREXT, std::to_string(sender));
    m.hdr.add(hf::SUBJECT, "flat " + std::to_string(i));
    m.hdr.add(hf::RFC822MSGID, "<" + std::to_string(sender) + "." + std::to_string(i) + "@flat>");
    return m;
}

std::vector<RecipientCopy> to_users(const std::vector<uint32_t>& users) {
    std::vector<RecipientCopy> copies(users.size());
    for (size_t i = 0; i < users.size(); ++i)
        copies[i].append = {{hf::RECIPIENT, "User"}, {hf::RECIPIENTEXT, std::to_string(users[i])}};
    return copies;
}

BaseOptions scratch_options() {
    BaseOptions o;
    o.create = true;
    o.create_status.attr = status_attr::EMAIL;
    o.durable = false;
    return o;
}

std::unique_ptr<SmbBase> open_base(const std::string& prefix) {
    auto b = SmbBase::open(prefix, scratch_options());
    REQUIRE(b.ok());
    return std::move(*b);
}

// What the counts must be: live records by recipient and by sender, from
// the whole index read afresh.
struct Reference {
    std::map<uint32_t, uint32_t> waiting, sent;
};
Reference reference_counts(const std::string& prefix) {
    BaseOptions ro;
    ro.read_only = true;
    auto b = SmbBase::open(prefix, ro);
    REQUIRE(b.ok());
    auto idx = (*b)->read_index(true);
    REQUIRE(idx.ok());
    Reference r;
    for (auto& rec : *idx)
        if (!(rec.attr & attr::DELETE) && rec.number) {
            ++r.waiting[rec.to];
            ++r.sent[rec.from];
        }
    return r;
}

// The BBS deleting a message: its index record's attribute bits flipped in
// place, the file's size unchanged (smb_putmsgidx).
void delete_in_place_like_bbs(const std::string& prefix, uint32_t position) {
    auto sid = File::open(prefix + ".sid", false);
    REQUIRE(sid.ok());
    char rec[INDEX_LEN];
    REQUIRE(sid->read_exact(uint64_t(position) * INDEX_LEN, rec, INDEX_LEN).ok());
    IndexRecord r = decode_index(rec);
    r.attr |= attr::DELETE;
    std::string bytes = encode_index(r);
    REQUIRE(sid->write_at(uint64_t(position) * INDEX_LEN, bytes.data(), bytes.size()).ok());
}

// The BBS freeing a message's data blocks (smb_freemsgdat): counts zeroed in place.
void free_data_like_bbs(const std::string& prefix, uint32_t offset, uint32_t blocks) {
    auto sda = File::open(prefix + ".sda", false);
    REQUIRE(sda.ok());
    std::string zeros(size_t(blocks) * 2, '\0');
    REQUIRE(sda->write_at(uint64_t(offset / BLOCK_LEN) * 2, zeros.data(), zeros.size()).ok());
}

// A write in a later timestamp tick than the last stamp taken: its time moves.
void in_a_later_tick(const std::string& path) {
    fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(10));
}

struct DataRun {
    uint32_t offset, blocks;
};
DataRun data_run(SmbBase& b, uint32_t number) {
    auto m = b.read_message(number, false);
    REQUIRE(m.ok());
    uint32_t end = 0;
    for (auto& d : m->hdr.dfields) end = std::max(end, d.offset + d.length);
    return {m->hdr.offset, blocks_for(end)};
}

uint32_t add_one(SmbBase& b, const NewMessage& m, uint32_t to) {
    auto n = b.add(m, to_users({to}));
    REQUIRE(n.ok());
    return n->front();
}

} // namespace

TEST_CASE("ISSUE14-flat FMT-108 FMT-76 SMTP-148 SMTP-108 counts stay exact across our own adds without another "
          "pass over the index") {
    TempDir dir;
    std::string mail = dir.prefix("mail");
    SmbMailStore store(mail, scratch_options(), nullptr);
    REQUIRE(store.add_mail(letter(1, 0), to_users({2})).ok());
    auto tally = tally_for_base(mail);
    uint64_t now = 0;
    tally->set_clock_for_test([&] { return now; });
    REQUIRE(store.count_waiting(2).value() == 1);
    uint64_t passes = tally->passes();
    std::vector<uint32_t> hundred;
    for (uint32_t u = 2; u < 102; ++u) hundred.push_back(u);
    for (int i = 1; i <= 40; ++i) {
        auto m = letter(1 + i % 4, i);
        std::vector<uint32_t> users = i % 10 == 0 ? hundred : std::vector<uint32_t>{2 + uint32_t(i % 3)};
        REQUIRE(store.add_mail(m, to_users(users)).ok());
        Reference want = reference_counts(mail);
        for (uint32_t u : {1u, 2u, 3u, 4u, 5u, 50u, 101u, 200u}) {
            INFO("after add " << i << ", user " << u);
            CHECK(store.count_waiting(u).value() == want.waiting[u]);
            CHECK(store.count_sent(u).value() == (u ? want.sent[u] : 0));
        }
    }
    CHECK(tally->passes() == passes);        // each add brought the counts forward itself
    now += IndexTally::MAX_AGE_MS;           // and they are never trusted for longer
    CHECK(store.count_waiting(2).value() == reference_counts(mail).waiting[2]);
    CHECK(tally->passes() == passes + 1);
}

TEST_CASE("ISSUE14-flat FMT-108 FMT-86 SMTP-148 a deletion the BBS makes in place is counted within the staleness "
          "bound") {
    TempDir dir;
    std::string mail = dir.prefix("mail");
    SmbMailStore store(mail, scratch_options(), nullptr);
    for (int i = 0; i < 5; ++i) REQUIRE(store.add_mail(letter(7, i), to_users({2})).ok());
    auto tally = tally_for_base(mail);
    uint64_t now = 0;
    tally->set_clock_for_test([&] { return now; });
    REQUIRE(store.count_waiting(2).value() == 5);
    REQUIRE(store.count_sent(7).value() == 5);

    // The BBS deletes message 1 in the very tick our counts were stamped in:
    // nothing in the index file's stamp shows it.
    delete_in_place_like_bbs(mail, 0);
    tally->assume_unchanged_for_test(stamp_of(mail + ".sid").value());
    now = IndexTally::MAX_AGE_MS - 1;
    CHECK(store.count_waiting(2).value() == 5);   // the remembered counts, not yet too old
    now = IndexTally::MAX_AGE_MS;
    CHECK(store.count_waiting(2).value() == 4);   // never older than the bound
    CHECK(store.count_sent(7).value() == 4);

    // In any later tick the stamp shows the change at once.
    delete_in_place_like_bbs(mail, 1);
    in_a_later_tick(mail + ".sid");
    CHECK(store.count_waiting(2).value() == 3);
    CHECK(store.count_sent(7).value() == 3);
}

TEST_CASE("ISSUE14-flat FMT-108 FMT-80 counts stay exact while sessions add and count at once") {
    TempDir dir;
    std::string mail = dir.prefix("mail");
    SmbMailStore store(mail, scratch_options(), nullptr);
    REQUIRE(store.add_mail(letter(1, 0), to_users({2})).ok());
    auto tally = tally_for_base(mail);
    uint64_t now = 0;                       // frozen: counts that went wrong would stay wrong
    tally->set_clock_for_test([&] { return now; });
    std::vector<std::thread> sessions;
    for (uint32_t s = 0; s < 4; ++s)
        sessions.emplace_back([&, s] {
            for (int i = 0; i < 60; ++i) {
                auto m = letter(1 + s, i);
                (void)store.count_waiting(2 + uint32_t(i % 3));
                (void)store.count_sent(1 + s);
                (void)store.add_mail(m, to_users({2 + uint32_t(i % 3), 9}));
            }
        });
    for (auto& t : sessions) t.join();
    Reference want = reference_counts(mail);
    for (uint32_t u = 1; u < 10; ++u) {
        INFO("user " << u);
        CHECK(store.count_waiting(u).value() == want.waiting[u]);
        CHECK(store.count_sent(u).value() == want.sent[u]);
    }
    CHECK(want.waiting[9] == 240);
}

TEST_CASE("ISSUE14-flat FMT-65 FMT-68 FMT-83 data another writer allocates between two of our adds is never "
          "overlapped") {
    for (bool seen_by_stamp : {true, false}) {
        INFO((seen_by_stamp ? "their add in a later tick" : "their add in our last write's tick"));
        TempDir dir;
        std::string mail = dir.prefix("mail");
        auto ours = open_base(mail);
        auto theirs = open_base(mail);                 // its own handle, as the BBS has
        auto a = letter(1, 1, 600), b = letter(2, 2, 1500), c = letter(1, 3, 900);
        uint32_t na = add_one(*ours, a, 2);
        uint32_t nb = add_one(*theirs, b, 3);
        if (!seen_by_stamp) ours->assume_tables_unchanged_for_test();
        uint32_t nc = add_one(*ours, c, 2);
        std::vector<DataRun> runs = {data_run(*ours, na), data_run(*ours, nb), data_run(*ours, nc)};
        for (size_t i = 0; i < runs.size(); ++i)
            for (size_t k = i + 1; k < runs.size(); ++k) {
                INFO("runs " << i << " and " << k);
                bool apart = runs[i].offset + runs[i].blocks * BLOCK_LEN <= runs[k].offset ||
                             runs[k].offset + runs[k].blocks * BLOCK_LEN <= runs[i].offset;
                CHECK(apart);
            }
        CHECK(ours->read_message(nb, true).value().body == std::string(b.body.str()));
        CHECK(ours->read_message(nc, true).value().body == std::string(c.body.str()));
        CHECK(problems(mail) == "");
    }
}

TEST_CASE("ISSUE14-flat FMT-65 FMT-70 data space the BBS frees is reused at once when the table's stamp shows it, "
          "else after the rescan period") {
    TempDir dir;
    std::string mail = dir.prefix("mail");
    auto ours = open_base(mail);
    auto bbs = open_base(mail);
    uint64_t now = 0;
    ours->set_clock_for_test([&] { return now; });
    std::vector<OwnedMessage> kept;
    auto add = [&](int i) {
        kept.push_back(letter(1, i, 1000));
        return add_one(*ours, kept.back(), 2);
    };
    uint32_t n1 = add(1), n2 = add(2);
    add(3);
    DataRun r1 = data_run(*ours, n1), r2 = data_run(*ours, n2);

    // The BBS deletes message 2 and frees its data in our last write's tick.
    REQUIRE(bbs->change_attr(n2, attr::DELETE, 0).ok());
    free_data_like_bbs(mail, r2.offset, r2.blocks);
    ours->assume_tables_unchanged_for_test();
    DataRun r4 = data_run(*ours, add(4));
    CHECK(r4.offset > r2.offset);                      // not seen yet: appended, nothing overlapped
    now += AllocHint::RESCAN_MS;
    CHECK(data_run(*ours, add(5)).offset == r2.offset);   // the rescan finds it

    // Freed in a later tick: the stamp shows it to the very next add.
    REQUIRE(bbs->change_attr(n1, attr::DELETE, 0).ok());
    free_data_like_bbs(mail, r1.offset, r1.blocks);
    in_a_later_tick(mail + ".sda");
    CHECK(data_run(*ours, add(6)).offset == r1.offset);
}

TEST_CASE("ISSUE14-flat FMT-65 FMT-66 the allocation hint lets a scan skip the table's start only while nothing "
          "shorter may fit there") {
    AllocTable t;
    t.entries = {1, 1, 0, 1, 1, 1, 0, 0, 1};           // free runs of 1 and 2 entries
    smb::FileStamp stamp;
    stamp.inode = 7;
    stamp.size = t.entries.size() * 2;
    AllocHint h;
    CHECK(h.scan_from(3, stamp, 0) == 0);               // nothing learned yet
    h.learn(t, stamp, 0);
    CHECK(h.scan_from(3, stamp, 10) == 9);              // no run of 3 below the end
    CHECK(h.scan_from(2, stamp, 10) == 0);              // a run of 2 may fit below
    smb::FileStamp changed = stamp;
    changed.changed_ns += 1;
    CHECK(h.scan_from(3, changed, 10) == 0);            // written since by someone else
    CHECK(h.scan_from(3, stamp, AllocHint::RESCAN_MS) == 0);

    // A table loaded from the hint on finds the first fit from there.
    AllocTable tail;
    tail.first = 9;
    tail.entries = {1, 0, 0, 1, 0, 0, 0};
    CHECK(tail.size() == 16);
    CHECK(tail.find_run(2, AllocMode::SelfPack) == 10);
    CHECK(tail.find_run(3, AllocMode::SelfPack) == 13);
    CHECK(tail.find_run(4, AllocMode::SelfPack) == 16);
    CHECK(tail.find_run(1, AllocMode::Fast) == 16);
    h.learn(tail, stamp, 20);                           // longest run below 16 now 3
    CHECK(h.scan_from(4, stamp, 30) == 16);
    CHECK(h.scan_from(3, stamp, 30) == 0);
}

namespace {
// The first-fit rule as the spec states it, one entry at a time, from `from`.
uint32_t spec_first_fit(const AllocTable& t, uint32_t n) {
    uint32_t run = 0;
    for (size_t i = t.first; i < t.size(); ++i) {
        run = t.get(i) == 0 ? run + 1 : 0;
        if (run == n) return uint32_t(i + 1 - n);
    }
    return uint32_t(t.size());
}
} // namespace

TEST_CASE("ISSUE14-flat FMT-65 FMT-68 one add's many first fits, each starting where a shorter one was found, are "
          "the spec's first fits") {
    std::mt19937 rng(1414);
    for (int round = 0; round < 300; ++round) {
        AllocTable t;
        t.first = rng() % 3 ? 0 : rng() % 50;
        t.entries.resize(rng() % 120);
        for (auto& e : t.entries) e = rng() % 3 ? uint16_t(1 + rng() % 3) : 0;
        for (int op = 0; op < 40; ++op) {
            uint32_t n = 1 + rng() % 6;
            uint32_t at = t.find_run(n, AllocMode::SelfPack);
            INFO("round " << round << " op " << op << " n " << n);
            REQUIRE(at == spec_first_fit(t, n));
            switch (rng() % 5) {                          // what an add does with the places it finds
            case 0: case 1: t.hold(at, n); break;         // a header place reserved
            case 2: for (uint32_t k = 0; k < n; ++k) t.set(at + k, 1); break;   // data counted
            case 3: if (at + n <= t.size()) t.release(at, std::min<uint32_t>(n, uint32_t(t.size() - at))); break;
            default: if (t.size() > t.first) t.set(t.first + rng() % (t.size() - t.first), 0); break;   // undone
            }
        }
    }
}

TEST_CASE("ISSUE14-flat FMT-125 FMT-103 the CRC-32 by table equals the bitwise definition, whole and in pieces") {
    auto bitwise = [](std::string_view data) {
        uint32_t crc = 0xFFFFFFFFu;
        for (unsigned char c : data) {
            crc ^= c;
            for (int i = 0; i < 8; ++i) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    };
    std::mt19937 rng(125);
    for (int round = 0; round < 200; ++round) {
        std::string text(rng() % 700, '\0');
        for (auto& c : text) c = char(rng());
        size_t cut = text.empty() ? 0 : rng() % text.size();
        INFO("round " << round);
        CHECK(crc32(text) == bitwise(text));
        CHECK(crc32(std::string_view(text).substr(cut), crc32(std::string_view(text).substr(0, cut))) == bitwise(text));
    }
}
