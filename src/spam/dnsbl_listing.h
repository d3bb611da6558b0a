// A session's DNSBL state (SMTP-31, SMTP-185) and the marks the DNSBL rules
// put on a received message before it is parsed and stored (SMTP-186). The
// SMTP session owns both; the rules of src/spam change them.
#pragma once

#include <string>

namespace sbbs::spam {

struct DnsblListing {
    bool listed = false;
    std::string ip;             // the listed address: the client's or a Received: relay's
    std::string dnsbl;          // the dns_blacklist.cfg line that listed it (SMTP-238)
    std::string result;         // the zone's answer, e.g. "127.0.0.2"
    bool via_received = false;  // found in a Received: header (SMTP-185), for this message only
};

struct MessageMarks {
    std::string header;         // the header text to parse and store (tags applied)
    bool spam = false;          // store with the SPAM attribute
};

} // namespace sbbs::spam
