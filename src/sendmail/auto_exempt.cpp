// dnsbl_exempt.cfg auto-exemption (see auto_exempt.h).
#include "sendmail/auto_exempt.h"

#include "config/pattern_list.h"
#include "util/stat_cached_file.h"

static_assert(sbbs::StatCachedFile<int>::kSettleNs == 2'000'000'000, "ExemptCache::settle_ns follows it");

#include <cerrno>
#include <fstream>

namespace sbbs {

namespace {
bool listed(const std::string& path, const std::string& bracketed, time_t now, ExemptCache* cache) {
    if (!cache) return PatternList::load(path, nullptr).contains(bracketed, {}, now);
    FileStamp st = file_stamp(path);   // taken before the read: a write during it shows next time
    if (!cache->list || !cache->trusted || st != cache->stamp) {
        cache->list = PatternList::load(path, nullptr);
        cache->appended.clear();
        cache->stamp = st;
        cache->trusted = stamp_settled(st, cache->settle_ns);
    }
    return cache->appended.count(bracketed) || cache->list->contains(bracketed, {}, now);
}

// After our append of `bytes`: the cache goes on only when the file is what
// it knew plus exactly those bytes (same file, nothing else written).
void after_our_append(const std::string& path, const std::string& bracketed, uint64_t bytes, ExemptCache& cache) {
    if (cache.after_append) cache.after_append();
    FileStamp st = file_stamp(path);
    const FileStamp& was = cache.stamp;
    bool only_ours = st.exists && was.exists && st.device == was.device && st.inode == was.inode &&
                     st.size == was.size + bytes;
    if (!only_ours) {
        cache.list.reset();   // read again at the next look-up
        return;
    }
    cache.appended.insert(bracketed);
    cache.stamp = st;
}
} // namespace

bool auto_exempt(const std::string& exempt_path, const std::string& address, const std::string& sender_info,
                 UserDirectory* users, Logger& log, time_t now, ExemptCache* cache) {
    std::string bare = address;
    if (bare.size() >= 2 && bare.front() == '<' && bare.back() == '>') bare = bare.substr(1, bare.size() - 2);
    if (bare.empty()) return false;
    std::string bracketed = "<" + bare + ">";
    // SEND-86: compared in <addr> form with the lists' own matching rules.
    if (listed(exempt_path, bracketed, now, cache)) return false;
    if (users && users->find_by_netmail(bare) != 0) return false;
    FileStamp before = file_stamp(exempt_path);
    std::ofstream out(exempt_path, std::ios::app | std::ios::binary);
    if (!out) {
        log.log(LogLevel::Error, "0000 !Error " + std::to_string(errno) + " opening file: " + exempt_path);
        return false;
    }
    char when[64] = {};
    struct tm tm{};
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%a %b %d %Y %H:%M:%S", &tm);
    std::string lines = "\n;SEND Auto-exempting from " + sender_info + " on " + when + "\n" + bracketed + "\n";
    out << lines;
    out.close();
    log.log(LogLevel::Info, "0000 SEND Auto-exempting: " + bracketed);
    if (cache && cache->list) {   // what we wrote is known: no need to read it back
        if (out && before == cache->stamp) after_our_append(exempt_path, bracketed, lines.size(), *cache);
        else cache->list.reset();
    }
    return bool(out);
}

} // namespace sbbs
