// Read-only handles lent to readers of the mail base.
#include "fixture_support.h"

#include "msgbase/reader_pool.h"
#include "msgbase/smb_mail_store.h"

#include <catch.hpp>

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
