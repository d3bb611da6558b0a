// Issue #14's store-path work that had to stay exact: the RCPT counts read
// straight from raw index records, and the word-at-a-time first-fit scan.
#include "fixture_support.h"

#include "msgbase/smb_internal.h"
#include "msgbase/smb_mail_store.h"

#include <catch.hpp>

#include <random>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

NewMessage mail_from(uint32_t sender, int i) {
    NewMessage m;
    m.hdr.add(hf::SENDER, "Sender");
    m.hdr.add(hf::SENDEREXT, std::to_string(sender));
    m.hdr.add(hf::SUBJECT, "scaling " + std::to_string(i));
    static const std::string body = "scaling\r\n";           // lent to the store, never copied
    m.body = body;
    return m;
}

std::vector<RecipientCopy> to(uint32_t user) {
    std::vector<RecipientCopy> c(1);
    c[0].append = {{hf::RECIPIENT, "User"}, {hf::RECIPIENTEXT, std::to_string(user)}};
    return c;
}

// The first-fit rule as the spec states it, one entry at a time.
uint32_t reference_run(const std::vector<uint16_t>& e, uint32_t n) {
    uint32_t run = 0;
    for (size_t i = 0; i < e.size(); ++i) {
        run = e[i] == 0 ? run + 1 : 0;
        if (run == n) return uint32_t(i + 1 - n);
    }
    return uint32_t(e.size());
}

} // namespace

TEST_CASE("ISSUE14-perf SMTP-148 SMTP-108 FMT-108 FMT-76 counts read raw records past one chunk and see another "
          "handle's adds and deletions") {
    TempDir dir;
    std::string mail = dir.prefix("mail");
    BaseOptions fast;
    fast.durable = false;
    SmbMailStore store(mail, fast, nullptr);
    const int total = 2100;                                   // more than one 2048-record read
    for (int i = 0; i < total; ++i) REQUIRE(store.add_mail(mail_from(1 + i % 3, i), to(2 + i % 2)).ok());
    CHECK(store.count_waiting(2).value() == 1050);
    CHECK(store.count_waiting(3).value() == 1050);
    CHECK(store.count_sent(1).value() == 700);
    CHECK(store.count_sent(0).value() == 0);
    CHECK(store.count_waiting(0x10002).value() == 0);         // not a 16-bit index value

    // A second writer (the BBS) adds mail and deletes some in place: the
    // next counts see both, with nothing remembered from the last ones.
    auto other = SmbBase::open(mail, fast);
    REQUIRE(other.ok());
    REQUIRE((*other)->add(mail_from(1, -1), to(2)).ok());
    REQUIRE((*other)->change_attr(2, attr::DELETE, 0).ok());   // number 2: to user 3, from user 2
    REQUIRE((*other)->change_attr(2050, attr::DELETE, 0).ok());   // in the second chunk: to 3, from 1
    CHECK(store.count_waiting(2).value() == 1051);
    CHECK(store.count_waiting(3).value() == 1048);
    CHECK(store.count_sent(1).value() == 700);
    CHECK(store.count_sent(2).value() == 699);

    // An index record past status.total_msgs (an add not yet finished) is not mail yet.
    auto s = (*other)->status();
    REQUIRE(s.ok());
    IndexRecord extra{};
    extra.to = 2;
    extra.from = 1;
    extra.number = s->last_msg + 1;
    std::string rec = encode_index(extra);
    auto sid = File::open(mail + ".sid", false);
    REQUIRE(sid.ok());
    REQUIRE(sid->write_at(uint64_t(s->total_msgs) * INDEX_LEN, rec.data(), rec.size()).ok());
    CHECK(store.count_waiting(2).value() == 1051);
    CHECK(store.count_sent(1).value() == 700);
}

TEST_CASE("ISSUE14-perf FMT-65 FMT-66 the word-at-a-time first fit finds the run the spec's scan finds") {
    std::mt19937 rng(14);
    for (int round = 0; round < 2000; ++round) {
        AllocTable t;
        t.entries.resize(rng() % 70);
        unsigned density = rng() % 10;                       // 0: all free .. 9: mostly used
        for (auto& e : t.entries) e = rng() % 10 < density ? uint16_t(1 + rng() % 0x300) : 0;
        if (round % 7 == 0)
            for (auto& e : t.entries) e = e ? e : 0x100;      // a count of 256: a zero low byte, still used
        for (uint32_t n = 1; n <= 6; ++n) {
            INFO("round " << round << " n " << n);
            CHECK(t.find_run(n, AllocMode::SelfPack) == reference_run(t.entries, n));
            CHECK(t.find_run(n, AllocMode::Fast) == t.entries.size());
        }
    }
}

TEST_CASE("ISSUE14-perf FMT-99 FMT-81 headers shorter and longer than the first 1 KiB read come back whole in a batch") {
    TempDir dir;
    std::string mail = dir.prefix("mail");
    SmbMailStore store(mail, BaseOptions{}, nullptr);
    std::vector<std::string> subjects = {"short", std::string(900, 's'), std::string(1100, 'm'), std::string(5000, 'l')};
    for (size_t i = 0; i < subjects.size(); ++i) {
        NewMessage m = mail_from(1, int(i));
        m.hdr.add(hf::SUBJECT, subjects[i]);                  // the last SUBJECT is the one read back
        REQUIRE(store.add_mail(m, to(2)).ok());
    }
    auto headers = store.read_headers({1, 2, 3, 4});
    REQUIRE(headers.size() == 4);
    for (size_t i = 0; i < subjects.size(); ++i) {
        REQUIRE(headers[i].ok());
        CHECK(headers[i]->number == i + 1);
        const std::string* subject = headers[i]->last(hf::SUBJECT);
        REQUIRE(subject);
        CHECK(*subject == subjects[i]);
    }
    // Cut into the last header: its read reports the short file, the others still come back.
    auto idx = SmbBase::open(mail, BaseOptions{});
    REQUIRE(idx.ok());
    auto rec = (*idx)->find(4);
    REQUIRE(rec.ok());
    idx->reset();
    fs::resize_file(mail + ".shd", rec->offset + 2000);
    headers = store.read_headers({3, 4});
    REQUIRE(headers.size() == 2);
    CHECK(headers[0].ok());
    REQUIRE(!headers[1].ok());
    CHECK(headers[1].error().message.find("runs past end of file") != std::string::npos);
}
