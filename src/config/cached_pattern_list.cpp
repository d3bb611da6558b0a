// Modification-time cached pattern lists (see cached_pattern_list.h).
#include "config/cached_pattern_list.h"

namespace sbbs {

std::shared_ptr<const PatternList> CachedPatternList::get(time_t now, Diagnostics* diags) {
    if (now == 0) now = time(nullptr);
    std::lock_guard<std::mutex> lock(mutex_);
    if (interval_ != 0 && loaded_ && now - last_check_ < time_t(interval_)) return list_;
    last_check_ = now;
    std::error_code ec;
    auto stamp = std::filesystem::last_write_time(path_, ec);
    if (ec) {  // missing: the cache keeps what it had; an uncached list is empty
        if (interval_ == 0) list_ = std::make_shared<PatternList>();
        return list_;
    }
    if (interval_ != 0 && loaded_ && stamp <= stamp_) return list_;
    bool changed = !loaded_ || stamp != stamp_;
    Diagnostics problems;
    list_ = std::make_shared<PatternList>(PatternList::load(path_, &problems));
    ++reads_;
    if (changed && diags) diags->insert(diags->end(), problems.begin(), problems.end());
    stamp_ = stamp;
    loaded_ = true;
    return list_;
}

void CachedPatternList::invalidate() {
    std::lock_guard<std::mutex> lock(mutex_);
    loaded_ = false;
}

std::optional<ListEntry> CachedPatternList::find(std::string_view s, std::string_view s2, time_t now) {
    std::shared_ptr<const PatternList> list = get(now);
    const ListEntry* e = list->find(s, s2, now);
    if (!e) return std::nullopt;
    return *e;
}

} // namespace sbbs
