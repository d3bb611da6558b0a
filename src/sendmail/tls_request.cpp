// The TLS a queued message asks for (see tls_request.h).
#include "sendmail/tls_request.h"

#include "dsn/params.h"
#include "util/strings.h"

namespace sbbs {

bool says_tls_not_required(const smb::MessageHeader& h) {
    for (auto& f : h.fields) {
        if (f.type != smb::hf::RFC822HEADER) continue;
        auto colon = f.data.find(':');
        if (colon == std::string::npos || !iequals(trim(std::string_view(f.data).substr(0, colon)), "TLS-Required"))
            continue;
        // The value may be folded onto a continuation line: white space and
        // line ends around "No" are folding white space.
        return iequals(trim(std::string_view(f.data).substr(colon + 1)), "No");
    }
    return false;
}

TlsRequest tls_request(const smb::MessageHeader& h) {
    if (dsn::envelope_params(h).requiretls) return TlsRequest::Required;
    return says_tls_not_required(h) ? TlsRequest::NotRequired : TlsRequest::Default;
}

std::string session_key(const std::string& route_key, TlsRequest r) {
    switch (r) {
    case TlsRequest::Required: return route_key + "|REQUIRETLS";
    case TlsRequest::NotRequired: return route_key + "|TLS-Required:No";
    case TlsRequest::Default: break;
    }
    return route_key;
}

} // namespace sbbs
