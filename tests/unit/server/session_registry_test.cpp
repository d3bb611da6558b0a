// Thread-per-session bookkeeping.
#include "server/session_registry.h"
#include "server_test_support.h"

#include <catch.hpp>

#include <condition_variable>

using namespace sbbs;

TEST_CASE("session registry: finished sessions are reaped, interrupt ends the rest") {
    SessionRegistry reg;
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    std::atomic<int> ended{0};
    auto blocking = [&] {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return release; });
        ++ended;
    };
    auto interrupt = [&] {
        std::lock_guard<std::mutex> lock(m);
        release = true;
        cv.notify_all();
    };
    reg.start([&] { ++ended; }, nullptr);
    reg.start(blocking, interrupt);
    reg.start(blocking, interrupt);
    CHECK(test::eventually([&] { return reg.reap() == 2; }));
    reg.interrupt_all();
    reg.join_all();
    CHECK(ended == 3);
    CHECK(reg.reap() == 0);
}
