// The bounded delivery pool (see delivery_pool.h).
#include "sendmail/delivery_pool.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sbbs {

void run_bounded(size_t count, unsigned workers, const std::function<void(size_t)>& task) {
    if (workers <= 1 || count <= 1) {
        for (size_t i = 0; i < count; ++i) task(i);
        return;
    }
    std::atomic<size_t> next{0};
    std::mutex mu;
    std::exception_ptr first_error;
    auto work = [&] {
        for (size_t i; (i = next++) < count;) {
            try {
                task(i);
            } catch (...) {
                std::lock_guard lk(mu);
                if (!first_error) first_error = std::current_exception();
            }
        }
    };
    size_t n = workers < count ? workers : count;
    std::vector<std::jthread> threads;
    threads.reserve(n - 1);
    for (size_t t = 1; t < n; ++t) threads.emplace_back(work);
    work();   // the calling thread is one of the workers
    threads.clear();   // joins
    if (first_error) std::rethrow_exception(first_error);
}

} // namespace sbbs
