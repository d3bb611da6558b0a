#include "state/delivery_book.h"
#include "temp_db.h"

#include <catch.hpp>

using namespace sbbs;
using sbbs::test::TempDb;

TEST_CASE("delivery bookkeeping: attempts, retry time, state and last error", "[state]") {
    TempDb t;
    DeliveryBook book(*t.db, t.clock());
    CHECK_FALSE(book.get(5)->has_value());
    REQUIRE(book.start(5).ok());
    CHECK((*book.get(5))->state == DeliveryState::InTransit);
    auto r = book.failed(5, "connect refused", t.now + 3600);
    REQUIRE(r.ok());
    CHECK(r->attempts == 1);
    CHECK(r->state == DeliveryState::Retry);
    CHECK(book.due(10)->empty());
    t.now += 3600;
    auto due = book.due(10);
    REQUIRE(due.ok());
    REQUIRE(due->size() == 1);
    CHECK((*due)[0].msg_number == 5);
    CHECK((*due)[0].last_error == "connect refused");
    REQUIRE(book.start(5).ok());
    CHECK(book.failed(5, "451 later", t.now)->attempts == 2);
    REQUIRE(book.finish(5, DeliveryState::Delivered).ok());
    CHECK(book.due(10)->empty());
    CHECK((*book.get(5))->attempts == 2);
    REQUIRE(book.forget(5).ok());
    CHECK_FALSE(book.get(5)->has_value());
}

TEST_CASE("messages left in transit by a crash are retried", "[state]") {
    TempDb t;
    DeliveryBook book(*t.db, t.clock());
    REQUIRE(book.start(7).ok());
    REQUIRE(book.start(8).ok());
    REQUIRE(book.finish(8, DeliveryState::Failed).ok());
    t.reopen();
    DeliveryBook after(*t.db, t.clock());
    auto n = after.recover_in_transit();
    REQUIRE(n.ok());
    CHECK(*n == 1);
    auto due = after.due(10);
    REQUIRE(due->size() == 1);
    CHECK((*due)[0].msg_number == 7);
}

TEST_CASE("delivery states round-trip through their names", "[state]") {
    for (auto s : {DeliveryState::Queued, DeliveryState::InTransit, DeliveryState::Retry, DeliveryState::Delivered,
                   DeliveryState::Failed})
        CHECK(parse_delivery_state(delivery_state_name(s)) == s);
    CHECK_FALSE(parse_delivery_state("bogus").has_value());
}
