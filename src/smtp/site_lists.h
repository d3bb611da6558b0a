// The ctrl/ lists that route recipients: alias.cfg (SMTP-233), domains.cfg
// (SMTP-120) and relay.cfg (SMTP-121). Behind an interface so tests need no
// files and the file-backed version can follow the config module.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sbbs::smtp {

class SiteLists {
public:
    virtual ~SiteLists() = default;
    // alias.cfg: the value that replaces `name`, if an entry matches.
    virtual std::optional<std::string> alias(std::string_view name) = 0;
    // domains.cfg: is `domain` one of ours besides the Internet address/HostName?
    virtual bool extra_local_domain(std::string_view domain) = 0;
    // relay.cfg: may this client relay without authentication?
    virtual bool relay_client(std::string_view ip, std::string_view host) = 0;
};

} // namespace sbbs::smtp
