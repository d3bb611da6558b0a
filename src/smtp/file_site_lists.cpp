// File-backed SiteLists (see file_site_lists.h).
#include "smtp/file_site_lists.h"

#include "config/alias_table.h"
#include "config/pattern_list.h"

#include <ctime>

namespace sbbs::smtp {

std::optional<std::string> FileSiteLists::alias(std::string_view name) {             // SMTP-233
    return AliasTable::load(ctrl_ + "alias.cfg", nullptr).lookup(name);
}

bool FileSiteLists::extra_local_domain(std::string_view domain) {                     // SMTP-120, CFG-135
    return PatternList::load(ctrl_ + "domains.cfg", nullptr).contains(domain, {}, time(nullptr));
}

bool FileSiteLists::relay_client(std::string_view ip, std::string_view host) {        // SMTP-121
    return PatternList::load(ctrl_ + "relay.cfg", nullptr).contains(ip, host, time(nullptr));
}

} // namespace sbbs::smtp
