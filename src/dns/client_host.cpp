// Reverse look-up of a client, with the original's placeholder name.
#include "dns/client_host.h"

namespace sbbs {

std::string client_host_name(Resolver* resolver, const std::string& ip) {
    if (!resolver) return "<no name>";
    auto answer = resolver->ptr(ip);
    if (answer.status != DnsStatus::Ok || answer.records.empty()) return "<no name>";
    return answer.records.front();
}

} // namespace sbbs
