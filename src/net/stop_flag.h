// A one-way "stop now" flag that sleeping threads can wait on, so bind
// retries and other pauses end at once when the server shuts down.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace sbbs {

class StopFlag {
public:
    void request() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopped_ = true;
        }
        cv_.notify_all();
    }
    bool requested() const { return stopped_.load(); }
    // Sleeps up to `d`; true when stop was requested (before or during).
    bool wait_for(std::chrono::milliseconds d) {
        std::unique_lock<std::mutex> lock(mutex_);
        return cv_.wait_for(lock, d, [this] { return stopped_.load(); });
    }

private:
    std::atomic<bool> stopped_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
};

} // namespace sbbs
