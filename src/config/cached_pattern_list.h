// A pattern list kept in memory and re-read when its file gets a newer
// modification time, checked at most every `cache_filter_files` seconds
// (CFG-133); with an interval of 0 it is re-read at every lookup.
#pragma once

#include "config/diagnostic.h"
#include "config/pattern_list.h"

#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace sbbs {

class CachedPatternList {
public:
    CachedPatternList(std::string path, uint32_t check_interval_s)
        : path_(std::move(path)), interval_(check_interval_s) {}

    // The list as of `now` (0 = the current time). Problems reading the file
    // go to `diags` once per file change (CFG-132). As in the original, a
    // file that disappears keeps its last contents until it comes back newer.
    std::shared_ptr<const PatternList> get(time_t now = 0, Diagnostics* diags = nullptr);

    // A copy of the deciding entry (another thread may replace the list).
    std::optional<ListEntry> find(std::string_view s, std::string_view s2 = {}, time_t now = 0);
    bool contains(std::string_view s, std::string_view s2 = {}, time_t now = 0) { return find(s, s2, now).has_value(); }
    const std::string& path() const { return path_; }
    // The next lookup re-reads the file: we just appended to it.
    void invalidate();
    unsigned reads() const { return reads_; }  // how many times the file was parsed

private:
    std::string path_;
    uint32_t interval_;
    std::mutex mutex_;
    std::shared_ptr<const PatternList> list_ = std::make_shared<PatternList>();
    std::filesystem::file_time_type stamp_{};
    bool loaded_ = false;
    time_t last_check_ = 0;
    unsigned reads_ = 0;
};

} // namespace sbbs
