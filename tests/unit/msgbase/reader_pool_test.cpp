// Read-only handles lent to readers of the mail base.
#include "fixture_support.h"

#include "msgbase/reader_pool.h"
#include "msgbase/smb_mail_store.h"

#include <catch.hpp>

#include <filesystem>

using namespace sbbs;
using namespace sbbs::smb;
using namespace sbbs::test;

TEST_CASE("FMT-79 FMT-81 lent read-only handles: reused when idle, one per concurrent reader, bounded") {
    TempDir dir;
    std::string mail = copy_fixture(dir, "mail", "mail");
    ReaderPool pool(mail, BaseOptions{}, 1);
    SmbBase* first = nullptr;
    {
        auto a = pool.lease();
        REQUIRE(a.ok());
        first = &**a;
        auto b = pool.lease();                               // a is still out: another handle
        REQUIRE(b.ok());
        CHECK(&**b != first);
        // Both hold their shared record locks at once: readers do not exclude readers.
        auto idx = (*a)->read_index(true);
        REQUIRE(idx.ok());
        REQUIRE_FALSE(idx->empty());
        CHECK((*b)->read_message(idx->front().number, true).ok());
        CHECK((*a)->read_message(idx->front().number, true).ok());
        // read-only: no write is possible through a lent handle
        CHECK_FALSE((*a)->change_attr(idx->front().number, attr::READ, 0).ok());
    }
    auto again = pool.lease();                               // only `keep` (1) idle handle was kept
    REQUIRE(again.ok());
    auto other = pool.lease();
    REQUIRE(other.ok());
    CHECK(&**other != &**again);
}

TEST_CASE("FMT-105 before the mail base exists, reads go through the writer, which creates it") {
    TempDir dir;
    std::string prefix = dir.prefix("mail");
    ReaderPool pool(prefix, BaseOptions{});
    CHECK_FALSE(pool.lease().ok());                          // read-only never creates
    SmbMailStore store(prefix, BaseOptions{}, nullptr);
    auto box = store.list_mailbox(1);
    REQUIRE(box.ok());
    CHECK(box->empty());
    CHECK(pool.lease().ok());                                // created by the writer handle
}

namespace {
// The base's files replaced by copies (new inodes, same bytes), as a restore would.
void replace_files(const std::string& prefix) {
    for (const char* ext : {".shd", ".sdt", ".sid", ".sha", ".sda", ".hash"}) {
        std::string path = prefix + ext;
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) continue;
        std::filesystem::copy_file(path, path + ".new", ec);
        REQUIRE_FALSE(ec);
        std::filesystem::rename(path + ".new", path, ec);
        REQUIRE_FALSE(ec);
    }
}
} // namespace

TEST_CASE("ISSUE14-5 ISSUE13-6 a locked read skips the pool's file check; a handle found replaced is dropped, the read retried") {
    TempDir dir;
    std::string mail = copy_fixture(dir, "mail", "mail");
    SmbMailStore store(mail, BaseOptions{}, nullptr);
    auto before = store.list_mailbox(1);
    REQUIRE(before.ok());
    REQUIRE_FALSE(before->empty());
    uint32_t number = before->front().number;
    REQUIRE(store.read(number, true).ok());                  // a pooled handle now exists
    replace_files(mail);
    // Every kind of pooled read still succeeds, on a handle of the new files.
    CHECK(store.read(number, true).ok());
    CHECK(store.summary(number).ok());
    CHECK(store.read_headers({number}).front().ok());
    CHECK(store.read_many({number}, 1 << 20).front().ok());
    auto after = store.list_mailbox(1);
    REQUIRE(after.ok());
    CHECK(after->size() == before->size());
    CHECK(store.count_waiting(1).ok());                      // unlocked: the pool checks for it

    // At the pool: an unchecked lease may lend a replaced handle; discarded, it is not lent again.
    ReaderPool pool(mail, BaseOptions{}, 1);
    SmbBase* old = nullptr;
    {
        auto a = pool.lease();
        REQUIRE(a.ok());
        old = &**a;
    }
    replace_files(mail);
    {
        auto a = pool.lease(false);
        REQUIRE(a.ok());
        CHECK(&**a == old);
        auto idx = (*a)->read_index(true);
        REQUIRE_FALSE(idx.ok());
        CHECK(idx.error().code == ErrorCode::Stale);
        a->discard();
    }
    auto fresh = pool.lease(false);
    REQUIRE(fresh.ok());
    CHECK((*fresh)->read_index(true).ok());
}
