// SiteLists read from the install: ctrl/alias.cfg (config's alias table),
// ctrl/domains.cfg and ctrl/relay.cfg with the shared pattern rules. As in
// the original an edit counts at the very next check; a file is parsed again
// only when a stat() shows it changed (util/stat_cached_file.h).
#pragma once

#include "config/alias_table.h"
#include "config/pattern_list.h"
#include "smtp/site_lists.h"
#include "util/stat_cached_file.h"

#include <string>

namespace sbbs::smtp {

class FileSiteLists : public SiteLists {
public:
    explicit FileSiteLists(const std::string& ctrl_dir);   // ends in '/'

    std::optional<std::string> alias(std::string_view name) override;
    bool extra_local_domain(std::string_view domain) override;
    bool relay_client(std::string_view ip, std::string_view host) override;

private:
    StatCachedFile<AliasTable> alias_;
    StatCachedFile<PatternList> domains_, relay_;
};

} // namespace sbbs::smtp
