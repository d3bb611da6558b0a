// One accepted RCPT as the session keeps it until end of data (the original's
// recipient-list entry, SMTP-158): To, ToExt, ToNetType, ToNetAddr,
// SMTPForwardPath.
#pragma once

#include "dsn/params.h"

#include <cstdint>
#include <string>

namespace sbbs::smtp {

struct Recipient {
    std::string to;             // address as given, or the QWK user part
    uint32_t ext = 0;           // user number (local, QWK node, or forwarding user)
    uint16_t net_type = 0;      // smb::net::*
    std::string net_addr;       // destination for relay / forward / QWK / FidoNet
    std::string forward_path;   // raw RCPT argument ("" for forwarded copies)
    bool forwarded = false;     // a local user's mail forwarded off-system (SMTP-151)
    dsn::RecipientParams dsn = {};   // ours: RCPT's NOTIFY/ORCPT (RFC 3461 4.1, 4.2), stored with the copy
};

} // namespace sbbs::smtp
