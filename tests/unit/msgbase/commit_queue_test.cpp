// CommitQueue: concurrent deliveries are written in shared batches, each
// caller gets its own result, and a failing writer never strands a caller.
#include "msgbase/commit_queue.h"
#include "msgbase/platform.h"
#include "eventually.h"
#include "owned_message.h"

#include <catch.hpp>

#include <atomic>
#include <condition_variable>
#include <stdexcept>
#include <thread>

using namespace sbbs;
using namespace sbbs::smb;

namespace {

test::OwnedMessage message(int id) { return test::OwnedMessage(std::to_string(id)); }

// A writer that takes `ms` per batch, numbers each delivery by its body and
// refuses bodies starting with '-'.
struct SlowWriter {
    explicit SlowWriter(unsigned delay_ms) : ms(delay_ms) {}
    unsigned ms;
    std::mutex mu;
    std::vector<size_t> batch_sizes;
    std::atomic<int> in_writer{0}, overlap{0};

    std::vector<DeliveryResult> operator()(const std::vector<Delivery>& batch) {
        if (in_writer.fetch_add(1) != 0) overlap.fetch_add(1);
        sleep_ms(ms);
        {
            std::lock_guard g(mu);
            batch_sizes.push_back(batch.size());
        }
        std::vector<DeliveryResult> out;
        for (auto& d : batch) {
            std::string body = d.msg->body.str();
            if (body[0] == '-') out.push_back(make_error("refused " + body, ErrorCode::Invalid));
            else out.push_back(std::vector<uint32_t>{uint32_t(std::stoul(body))});
        }
        in_writer.fetch_sub(1);
        return out;
    }
};

} // namespace

TEST_CASE("group commit: concurrent deliveries share batches, each caller gets its own result") {
    SlowWriter w{30};
    CommitQueue q([&](const std::vector<Delivery>& b) { return w(b); }, 64);
    const int n = 12;
    std::vector<std::optional<DeliveryResult>> results(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            auto m = message(i % 4 == 3 ? -i : i + 100);
            std::vector<RecipientCopy> copies(1);
            results[size_t(i)] = q.deliver({&m, &copies});
        });
    for (auto& t : threads) t.join();
    for (int i = 0; i < n; ++i) {
        REQUIRE(results[size_t(i)].has_value());
        auto& r = *results[size_t(i)];
        if (i % 4 == 3) {
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message == "refused -" + std::to_string(i));
        } else {
            REQUIRE(r.ok());
            CHECK(*r == std::vector<uint32_t>{uint32_t(i + 100)});
        }
    }
    CHECK(w.overlap == 0);                                   // one batch at a time
    size_t total = 0, largest = 0;
    for (auto s : w.batch_sizes) { total += s; largest = std::max(largest, s); }
    CHECK(total == size_t(n));
    CHECK(largest > 1);                                      // callers waiting behind a batch were grouped
    CHECK(w.batch_sizes.size() < size_t(n));
}

TEST_CASE("group commit: a batch never exceeds its bound") {
    SlowWriter w{20};
    CommitQueue q([&](const std::vector<Delivery>& b) { return w(b); }, 3);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 10; ++i)
        threads.emplace_back([&, i] {
            auto m = message(i + 1);
            std::vector<RecipientCopy> copies(1);
            if (q.deliver({&m, &copies}).ok()) ++ok;
        });
    for (auto& t : threads) t.join();
    CHECK(ok == 10);
    for (auto s : w.batch_sizes) CHECK(s <= 3);
}

TEST_CASE("group commit: a writer that throws fails its batch only, later deliveries work") {
    std::atomic<bool> fail_next{true};
    CommitQueue q([&](const std::vector<Delivery>& b) {
        if (fail_next.exchange(false)) throw std::runtime_error("disk on fire");
        return std::vector<DeliveryResult>(b.size(), std::vector<uint32_t>{7});
    });
    auto m = message(1);
    std::vector<RecipientCopy> copies(1);
    auto first = q.deliver({&m, &copies});
    REQUIRE_FALSE(first.ok());
    CHECK(first.error().message.find("disk on fire") != std::string::npos);
    auto second = q.deliver({&m, &copies});
    REQUIRE(second.ok());
    CHECK(*second == std::vector<uint32_t>{7});
}

TEST_CASE("ISSUE13-1 group commit: a batch is bounded by its text bytes as well as its count") {
    std::mutex mu;
    std::condition_variable cv;
    bool release = false;
    std::vector<size_t> sizes;
    CommitQueue q(
        [&](const std::vector<Delivery>& b) {
            std::unique_lock g(mu);
            sizes.push_back(b.size());
            cv.wait(g, [&] { return release; });   // the first batch waits until the rest queued
            return std::vector<DeliveryResult>(b.size(), std::vector<uint32_t>{1});
        },
        64, 100);
    auto deliver = [&](size_t bytes) {
        test::OwnedMessage m(std::string(bytes, 'x'));
        std::vector<RecipientCopy> copies(1);
        return q.deliver({&m, &copies}).ok();
    };
    std::vector<std::thread> threads;
    threads.emplace_back([&] { deliver(10); });
    REQUIRE(test::eventually([&] { std::lock_guard g(mu); return sizes.size() == 1; }));
    for (int i = 0; i < 5; ++i) threads.emplace_back([&] { deliver(40); });   // two fit in 100 bytes
    REQUIRE(test::eventually([&] { return q.waiting() == 5; }));
    {
        std::lock_guard g(mu);
        release = true;
    }
    cv.notify_all();
    for (auto& t : threads) t.join();
    size_t total = 0;
    for (size_t s : sizes) total += s;
    CHECK(total == 6);
    CHECK(sizes == std::vector<size_t>{1, 2, 2, 1});   // 64 would fit by count

    // A delivery larger than the bound still goes, alone.
    sizes.clear();
    CHECK(deliver(500));
    CHECK(sizes == std::vector<size_t>{1});
}
