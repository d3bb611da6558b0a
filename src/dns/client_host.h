// The host name a session shows for its client (SMTP-22, POP3-14).
#pragma once

#include "dns/resolver.h"

#include <string>

namespace sbbs {

// The client's PTR name; "<no name>" when look-ups are off (no resolver:
// NO_HOST_LOOKUP) or the address has no name.
std::string client_host_name(Resolver* resolver, const std::string& ip);

} // namespace sbbs
