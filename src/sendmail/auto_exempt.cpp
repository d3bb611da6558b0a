// dnsbl_exempt.cfg auto-exemption (see auto_exempt.h).
#include "sendmail/auto_exempt.h"

#include "config/pattern_list.h"

#include <cerrno>
#include <fstream>

namespace sbbs {

bool auto_exempt(const std::string& exempt_path, const std::string& address, const std::string& sender_info,
                 UserDirectory* users, Logger& log, time_t now) {
    std::string bare = address;
    if (bare.size() >= 2 && bare.front() == '<' && bare.back() == '>') bare = bare.substr(1, bare.size() - 2);
    if (bare.empty()) return false;
    std::string bracketed = "<" + bare + ">";
    // SEND-86: compared in <addr> form with the lists' own matching rules.
    if (PatternList::load(exempt_path, nullptr).contains(bracketed, {}, now)) return false;
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
    log.log(LogLevel::Info, "0000 SEND Auto-exempting: " + bracketed);
    return bool(out);
}

} // namespace sbbs
