// Whole-file locks with a bounded wait (see whole_file_lock.h).
#include "spam/whole_file_lock.h"

#include <chrono>
#include <thread>

namespace sbbs::spam {

bool lock_whole(PlatformFile& f, FileLock kind) {
    for (int i = 0; i < 100; ++i) {
        auto r = f.try_lock(0, 0, kind);
        if (!r) return false;
        if (*r != LockTry::Busy) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

} // namespace sbbs::spam
