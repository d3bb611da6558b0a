// Which servers to contact for a destination domain, in order (SEND-27..30,
// SEND-35..38): this server, the relay, an explicit host:port, or the MX
// hosts (all of them by preference; the domain itself when it has none).
#pragma once

#include "dns/resolver.h"
#include "sendmail/sendmail_settings.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sbbs {

enum class RouteKind { Local, Relay, Explicit, Mx };

struct Destination {
    std::string name;               // host name or address literal
    uint16_t port = 25;
};

struct Route {
    RouteKind kind = RouteKind::Mx;
    std::vector<Destination> hosts;
    // When hosts is empty: why, and whether retrying can help.
    std::string error;
    std::string log_text;           // the WARNING line's text after "0000 !SEND "
    bool permanent = false;
};

bool is_local_domain(const std::string& domain, const SendMailSettings& s);
Route choose_route(const std::string& domain, const SendMailSettings& s, Resolver& dns,
                   const std::string& dns_server_text);

// A server name without the brackets of an address literal ("[1.2.3.4]").
std::string bare_host(const std::string& name);

// A server name to one address: literals ("1.2.3.4", "[1.2.3.4]") as is,
// else the first A (then AAAA) record (SEND-31); with `system_fallback`
// (relay and explicit hosts, often in /etc/hosts) the system resolver is
// asked when DNS has nothing. "" when unresolvable.
std::string resolve_host(const std::string& name, Resolver& dns, bool system_fallback);

// SEND-41 (SEC-10): whether the address resolve_host gave reaches this
// machine, judged on the parsed address so that no spelling of loopback or
// "any" (::ffff:127.0.0.1, 0:0:0:0:0:0:0:1, ::, 0.0.0.0) slips by; text that
// is no address counts as this host (it is not contacted).
bool reaches_this_host(const std::string& ip);

} // namespace sbbs
