// SessionRegistry: threads are joined outside the lock so a slow join never
// blocks the accept thread.
#include "server/session_registry.h"

#ifdef __linux__
#include <pthread.h>
#endif

namespace sbbs {

SessionRegistry::~SessionRegistry() {
    interrupt_all();
    join_all();
}

void SessionRegistry::start(std::function<void()> body, std::function<void()> interrupt) {
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.push_back(Entry{std::thread([body = std::move(body), done] {
#ifdef __linux__
                                 // A name of its own, so a sysop (top -H) and the
                                 // tests (/proc/<pid>/task/*/comm) can tell a
                                 // session from the server's own threads.
                                 pthread_setname_np(pthread_self(), "mail-session");
#endif
                                 body();
                                 done->store(true);
                             }),
                             std::move(interrupt), done});
}

size_t SessionRegistry::reap() {
    std::list<Entry> finished;
    size_t running = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto it = entries_.begin(); it != entries_.end();) {
            auto next = std::next(it);
            if (it->done->load()) finished.splice(finished.end(), entries_, it);
            it = next;
        }
        running = entries_.size();
    }
    for (auto& e : finished) e.thread.join();
    return running;
}

void SessionRegistry::interrupt_all() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& e : entries_)
        if (!e.done->load() && e.interrupt) e.interrupt();
}

void SessionRegistry::join_all() {
    std::list<Entry> all;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        all.swap(entries_);
    }
    for (auto& e : all) e.thread.join();
}

} // namespace sbbs
