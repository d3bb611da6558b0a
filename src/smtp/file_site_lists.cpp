// File-backed SiteLists (see file_site_lists.h).
#include "smtp/file_site_lists.h"

#include <ctime>

namespace sbbs::smtp {

namespace {
PatternList load_patterns(const std::string& path) { return PatternList::load(path, nullptr); }
AliasTable load_aliases(const std::string& path) { return AliasTable::load(path, nullptr); }
} // namespace

FileSiteLists::FileSiteLists(const std::string& ctrl_dir)
    : alias_(ctrl_dir + "alias.cfg", load_aliases), domains_(ctrl_dir + "domains.cfg", load_patterns),
      relay_(ctrl_dir + "relay.cfg", load_patterns) {}

std::optional<std::string> FileSiteLists::alias(std::string_view name) {             // SMTP-233
    return alias_.get()->lookup(name);
}

bool FileSiteLists::extra_local_domain(std::string_view domain) {                     // SMTP-120, CFG-135
    return domains_.get()->contains(domain, {}, time(nullptr));
}

bool FileSiteLists::relay_client(std::string_view ip, std::string_view host) {        // SMTP-121
    return relay_.get()->contains(ip, host, time(nullptr));
}

} // namespace sbbs::smtp
