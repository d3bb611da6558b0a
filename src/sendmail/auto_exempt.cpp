// dnsbl_exempt.cfg auto-exemption (see auto_exempt.h).
#include "sendmail/auto_exempt.h"

#include "config/pattern_list.h"

#include <cerrno>
#include <fstream>

namespace sbbs {

namespace {
// The file's size and time now; false when it cannot be stat'ed (missing).
bool file_stamp(const std::string& path, uintmax_t& size, std::filesystem::file_time_type& mtime) {
    std::error_code ec;
    size = std::filesystem::file_size(path, ec);
    if (ec) return false;
    mtime = std::filesystem::last_write_time(path, ec);
    return !ec;
}

bool listed(const std::string& path, const std::string& bracketed, time_t now, ExemptCache* cache) {
    if (!cache) return PatternList::load(path, nullptr).contains(bracketed, {}, now);
    uintmax_t size = 0;
    std::filesystem::file_time_type mtime{};
    bool known = file_stamp(path, size, mtime);
    if (!cache->list || !known || size != cache->size || mtime != cache->mtime) {
        cache->list = PatternList::load(path, nullptr);
        cache->appended.clear();
        cache->size = size;
        cache->mtime = mtime;
    }
    return cache->appended.count(bracketed) || cache->list->contains(bracketed, {}, now);
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
    std::ofstream out(exempt_path, std::ios::app | std::ios::binary);
    if (!out) {
        log.log(LogLevel::Error, "0000 !Error " + std::to_string(errno) + " opening file: " + exempt_path);
        return false;
    }
    char when[64] = {};
    struct tm tm{};
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%a %b %d %Y %H:%M:%S", &tm);
    out << "\n;SEND Auto-exempting from " << sender_info << " on " << when << "\n" << bracketed << "\n";
    out.close();
    log.log(LogLevel::Info, "0000 SEND Auto-exempting: " + bracketed);
    if (cache && out && cache->list) {   // what we wrote is known: no need to read it back
        cache->appended.insert(bracketed);
        if (!file_stamp(exempt_path, cache->size, cache->mtime)) cache->list.reset();
    }
    return bool(out);
}

} // namespace sbbs
