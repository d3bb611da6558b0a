// What a queued message asks of the TLS of its next hop (RFC 8689): the
// REQUIRETLS it was received with (stored by dsn::store), a "TLS-Required:
// No" header field, or nothing; and the session key that keeps messages
// asking for different things off each other's connections.
#pragma once

#include "msgbase/message.h"

#include <string>

namespace sbbs {

enum class TlsRequest {
    // Nothing asked: the server's own policy (opportunistic STARTTLS to MX
    // hosts, RelayTLSVerify to the relay).
    Default,
    // MAIL FROM ... REQUIRETLS (RFC 8689 4.2.1): only over STARTTLS whose
    // certificate verifies for the host's name, to a server that offers
    // REQUIRETLS inside it; otherwise the next host, and none: returned.
    Required,
    // "TLS-Required: No" without REQUIRETLS (RFC 8689 4.2.2): the recipient
    // domain's TLS policies (DANE, MTA-STS: issue #16) are not applied. Our
    // own policies stay: RelayTLSVerify guards the relay's credentials and
    // is the sysop's choice for the sysop's own smarthost.
    NotRequired,
};

// RFC 8689 4.1: REQUIRETLS wins, and then a TLS-Required field is ignored.
TlsRequest tls_request(const smb::MessageHeader& h);
// RFC 8689 3: a "TLS-Required: No" header field (name and value in any case).
bool says_tls_not_required(const smb::MessageHeader& h);
// The key of the queue and of the held sessions for `route_key` (issue #14's
// "a session only carries mail of the route it was opened for"): a session
// opened for one request never carries a message of another, so REQUIRETLS
// mail never rides a connection that was not verified for it.
std::string session_key(const std::string& route_key, TlsRequest r);

} // namespace sbbs
