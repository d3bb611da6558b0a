// SiteLists read from the install: ctrl/alias.cfg (config's alias table),
// ctrl/domains.cfg and ctrl/relay.cfg with the shared pattern rules, each
// read at every check as the original does.
#pragma once

#include "smtp/site_lists.h"

#include <string>

namespace sbbs::smtp {

class FileSiteLists : public SiteLists {
public:
    explicit FileSiteLists(std::string ctrl_dir) : ctrl_(std::move(ctrl_dir)) {}   // ends in '/'

    std::optional<std::string> alias(std::string_view name) override;
    bool extra_local_domain(std::string_view domain) override;
    bool relay_client(std::string_view ip, std::string_view host) override;

private:
    std::string ctrl_;
};

} // namespace sbbs::smtp
