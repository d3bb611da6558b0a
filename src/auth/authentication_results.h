// The header fields that carry inbound authentication results to readers:
// Authentication-Results (RFC 8601) with our host name as authserv-id, and
// Received-SPF (RFC 7208 9.1); and the removal of an Authentication-Results
// field that arrived claiming our authserv-id (RFC 8601 5), which only we
// may write.
#pragma once

#include "auth/verdicts.h"

#include <string>
#include <string_view>

namespace sbbs::auth {

// What Received-SPF names besides the verdict (RFC 7208 9.1).
struct SpfContext {
    std::string client_ip;
    std::string helo;
    std::string envelope_from;      // the address checked (postmaster@helo for a null path)
};

// "Authentication-Results: <id>; spf=... smtp.mailfrom=...; dkim=...; dmarc=...\r\n",
// folded between results; "<id>; none" when no method ran (RFC 8601 2.2).
std::string authentication_results_field(const std::string& authserv_id, const MessageAuthentication& a,
                                         const SpfContext& spf);
// "Received-SPF: <result> (<comment>) client-ip=...; envelope-from=...; ...\r\n".
std::string received_spf_field(const std::string& receiver, const SpfVerdict& v, const SpfContext& spf);
// `header` (CRLF lines, no blank line) without the Authentication-Results
// fields whose authserv-id is `authserv_id` (any case), folded lines included.
std::string without_our_authentication_results(std::string_view header, const std::string& authserv_id,
                                               int* removed = nullptr);

} // namespace sbbs::auth
