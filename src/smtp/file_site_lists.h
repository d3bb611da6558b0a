// SiteLists read from the install: ctrl/domains.cfg and ctrl/relay.cfg with
// the shared pattern rules (read at each check, as the original does), and
// alias.cfg through the config module's alias table reader.
#pragma once

#include "smtp/site_lists.h"

#include <functional>
#include <string>

namespace sbbs::smtp {

class FileSiteLists : public SiteLists {
public:
    using AliasLookup = std::function<std::optional<std::string>(std::string_view)>;
    // `ctrl_dir` ends in '/'; `aliases` e.g. wraps AliasTable::load(ctrl + "alias.cfg").lookup.
    FileSiteLists(std::string ctrl_dir, AliasLookup aliases);

    std::optional<std::string> alias(std::string_view name) override;
    bool extra_local_domain(std::string_view domain) override;
    bool relay_client(std::string_view ip, std::string_view host) override;

private:
    std::string ctrl_;
    AliasLookup aliases_;
};

} // namespace sbbs::smtp
