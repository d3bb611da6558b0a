// The running session threads (thread-per-session): start, reap finished
// ones, interrupt all of them at shutdown, join them all.
#pragma once

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace sbbs {

class SessionRegistry {
public:
    SessionRegistry() = default;
    ~SessionRegistry();   // interrupts and joins what is left
    SessionRegistry(const SessionRegistry&) = delete;
    SessionRegistry& operator=(const SessionRegistry&) = delete;

    // Runs `body` on a new thread; `interrupt` must make it return soon
    // (e.g. shut its socket down) and may be called from any thread.
    void start(std::function<void()> body, std::function<void()> interrupt);
    // Joins finished threads; returns how many still run.
    size_t reap();
    void interrupt_all();
    void join_all();

private:
    struct Entry {
        std::thread thread;
        std::function<void()> interrupt;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::mutex mutex_;
    std::list<Entry> entries_;
};

} // namespace sbbs
