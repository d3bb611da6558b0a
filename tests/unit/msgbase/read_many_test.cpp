// Reading a batch of messages under one base-header lock hold (issue #13
// item 1: a POP3 session measures its mailbox this way).
#include "fixture_support.h"

#include "msgbase/smb_internal.h"
#include "msgbase/smb_mail_store.h"
#include "owned_message.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

namespace {

BaseOptions quick() {
    BaseOptions o;
    o.retry_time_s = 1;
    return o;
}

void fill(SmbMailStore& store, int n, size_t bytes) {
    for (int i = 0; i < n; ++i) {
        test::OwnedMessage m(std::string(bytes, char('a' + i % 26)) + "\r\n");
        m.hdr.add(hf::SENDER, "Sysop");
        m.hdr.add(hf::SUBJECT, "batch " + std::to_string(i));
        RecipientCopy c;
        c.append = {{hf::RECIPIENT, "Alice"}, {hf::RECIPIENTEXT, "2"}};
        REQUIRE(store.add_mail(m, {c}).ok());
    }
}

} // namespace

TEST_CASE("ISSUE13-1 read_many: the messages read one by one, a prefix bounded by its text bytes") {
    TempDir dir;
    SmbMailStore store(dir.prefix("mail"), quick(), nullptr);
    fill(store, 10, 998);
    auto got = store.read_many({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2500);
    REQUIRE(got.size() == 3);                  // 1000 + 1000 + 1000 >= 2500: stops after the third
    for (uint32_t n = 1; n <= 3; ++n) {
        REQUIRE(got[n - 1].ok());
        auto one = store.read(n, true);
        REQUIRE(one.ok());
        CHECK(got[n - 1]->hdr.number == n);
        CHECK(got[n - 1]->body == one->body);
        CHECK(got[n - 1]->hdr.get(hf::SUBJECT) == one->hdr.get(hf::SUBJECT));
    }
    auto big = store.read_many({1, 2}, 0);
    CHECK(big.size() == 1);                    // at least one message, whatever the budget
}

TEST_CASE("ISSUE13-1 read_many: a missing message is its own NotFound, the others are read") {
    TempDir dir;
    SmbMailStore store(dir.prefix("mail"), quick(), nullptr);
    fill(store, 4, 10);
    auto got = store.read_many({3, 99, 4}, size_t(1) << 20);
    REQUIRE(got.size() == 3);
    CHECK(got[0].ok());
    REQUIRE_FALSE(got[1].ok());
    CHECK(got[1].error().code == ErrorCode::NotFound);
    CHECK(got[2].ok());
}

TEST_CASE("ISSUE13-1 POP3-55 read_many: a base header held by another program is one Locked error") {
    TempDir dir;
    SmbMailStore store(dir.prefix("mail"), quick(), nullptr);
    fill(store, 2, 10);
    auto shd = File::open(dir.prefix("mail") + ".shd", false);   // another process's writer
    REQUIRE(shd.ok());
    REQUIRE(shd->try_lock(0, BASE_HEADER_LEN).value());
    auto got = store.read_many({1, 2}, size_t(1) << 20);
    REQUIRE(got.size() == 1);
    REQUIRE_FALSE(got[0].ok());
    CHECK(got[0].error().code == ErrorCode::Locked);
    shd->unlock(0, BASE_HEADER_LEN);
    CHECK(store.read_many({1, 2}, size_t(1) << 20).size() == 2);
}

TEST_CASE("ISSUE13-1 read_headers: the headers read one by one, a missing one its own NotFound") {
    TempDir dir;
    SmbMailStore store(dir.prefix("mail"), quick(), nullptr);
    fill(store, 3, 10);
    auto got = store.read_headers({2, 99, 3});
    REQUIRE(got.size() == 3);
    REQUIRE(got[0].ok());
    CHECK(got[0]->number == 2);
    CHECK(got[0]->get(hf::SUBJECT) == store.read(2, false)->hdr.get(hf::SUBJECT));
    CHECK(got[0]->header_offset == store.read(2, false)->hdr.header_offset);
    REQUIRE_FALSE(got[1].ok());
    CHECK(got[1].error().code == ErrorCode::NotFound);
    CHECK(got[2].ok());
}
