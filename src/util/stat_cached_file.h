// A value parsed from one file (a filter list, alias.cfg), kept in memory and
// parsed again only when a stat() of the file shows it changed: each lookup
// costs one stat() instead of open, read, close and a parse, and an edit
// still takes effect at the very next lookup (the lists the original re-reads
// at every check keep that promise).
//
// A file modified within kSettleNs of when it was read is never trusted from
// the cache ("racy" as git calls it): a second write in the same timestamp
// tick, with the same size, would otherwise go unseen. Such a file is parsed
// again at every lookup until it has been quiet that long.
#pragma once

#include "util/platform_file.h"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace sbbs {

// The settle rule: a stamp taken when the file was last written more than
// `settle_ns` ago can be trusted to show the next write (see above).
inline bool stamp_settled(const FileStamp& s, int64_t settle_ns) {
    if (!s.exists) return true;   // a missing file shows up as a changed stamp when it appears
    int64_t wall = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
    int64_t last = s.modified_ns > s.changed_ns ? s.modified_ns : s.changed_ns;
    return wall - last > settle_ns;   // a time in the future is never settled
}

template <class T>
class StatCachedFile {
public:
    using Parse = std::function<T(const std::string& path)>;
    static constexpr int64_t kSettleNs = 2'000'000'000;

    StatCachedFile(std::string path, Parse parse, int64_t settle_ns = kSettleNs)
        : path_(std::move(path)), parse_(std::move(parse)), settle_ns_(settle_ns) {}

    // The value as of the file's current contents.
    // Logically const: the cache is invisible to callers.
    std::shared_ptr<const T> get() const {
        FileStamp now = file_stamp(path_);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (value_ && trusted_ && now == stamp_) return value_;
        }
        // Parsed outside the lock: a slow disk never holds up other lookups.
        auto fresh = std::make_shared<const T>(parse_(path_));
        std::lock_guard<std::mutex> lock(mutex_);
        value_ = fresh;
        stamp_ = now;
        trusted_ = settled(now);
        ++parses_;
        return fresh;
    }
    const std::string& path() const { return path_; }
    unsigned parses() const {   // how many times the file was parsed (tests)
        std::lock_guard<std::mutex> lock(mutex_);
        return parses_;
    }

private:
    bool settled(const FileStamp& s) const { return stamp_settled(s, settle_ns_); }

    const std::string path_;
    const Parse parse_;
    const int64_t settle_ns_;
    mutable std::mutex mutex_;
    mutable std::shared_ptr<const T> value_;
    mutable FileStamp stamp_;
    mutable bool trusted_ = false;
    mutable unsigned parses_ = 0;
};

} // namespace sbbs
