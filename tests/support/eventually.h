// Waiting in a test for something another thread or process does: polls
// `pred` until it holds or `limit` has passed, then asks once more.
#pragma once

#include <chrono>
#include <thread>

namespace sbbs::test {

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred();
}

} // namespace sbbs::test
