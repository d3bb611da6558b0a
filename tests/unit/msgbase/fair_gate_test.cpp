// FairGate (issue #13 item 1): our readers and the group-commit writer take
// turns in arrival order. Threads and waits on queued() only: no timing.
#include "msgbase/fair_gate.h"

#include "eventually.h"

#include <catch.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace sbbs;
using namespace sbbs::smb;

namespace {

// Who got in, in order.
struct Entries {
    std::mutex mu;
    std::vector<std::string> order;
    void note(const std::string& who) {
        std::lock_guard g(mu);
        order.push_back(who);
    }
    std::vector<std::string> get() {
        std::lock_guard g(mu);
        return order;
    }
};

} // namespace

TEST_CASE("ISSUE13-1 a reader waiting when a batch ends gets in before the next batch", "[gate]") {
    FairGate gate;
    Entries in;
    std::optional<FairGate::Pass> batch1(gate.enter_exclusive());
    std::thread reader([&] { auto p = gate.enter_shared(); in.note("reader"); });
    REQUIRE(test::eventually([&] { return gate.queued() == 1; }));
    std::thread batch2([&] { auto p = gate.enter_exclusive(); in.note("batch2"); });
    REQUIRE(test::eventually([&] { return gate.queued() == 2; }));
    batch1.reset();                          // the first batch ends
    reader.join();
    batch2.join();
    CHECK(in.get() == std::vector<std::string>{"reader", "batch2"});
}

TEST_CASE("ISSUE13-1 a waiting writer is not starved by a stream of readers", "[gate]") {
    FairGate gate;
    Entries in;
    std::optional<FairGate::Pass> first_reader(gate.enter_shared());
    {
        auto second = gate.enter_shared();   // readers share while no writer waits
        CHECK(gate.queued() == 0);
    }
    std::thread writer([&] { auto p = gate.enter_exclusive(); in.note("writer"); });
    REQUIRE(test::eventually([&] { return gate.queued() == 1; }));
    std::thread late_reader([&] { auto p = gate.enter_shared(); in.note("late reader"); });
    REQUIRE(test::eventually([&] { return gate.queued() == 2; }));
    CHECK(in.get().empty());                 // the late reader queued behind the writer
    first_reader.reset();
    writer.join();
    late_reader.join();
    CHECK(in.get() == std::vector<std::string>{"writer", "late reader"});
}

TEST_CASE("ISSUE13-1 readers queued behind one writer go in together", "[gate]") {
    FairGate gate;
    std::optional<FairGate::Pass> writer(gate.enter_exclusive());
    std::mutex mu;
    int inside = 0, most_inside = 0;
    std::vector<std::thread> readers;
    for (int i = 0; i < 3; ++i)
        readers.emplace_back([&] {
            auto p = gate.enter_shared();
            std::unique_lock g(mu);
            most_inside = std::max(most_inside, ++inside);
            g.unlock();
            // Stay until all three are inside: only possible if they share the turn.
            test::eventually([&] { std::lock_guard h(mu); return inside == 3; });
        });
    REQUIRE(test::eventually([&] { return gate.queued() == 3; }));
    writer.reset();
    for (auto& t : readers) t.join();
    CHECK(most_inside == 3);
    CHECK(gate.queued() == 0);
}
