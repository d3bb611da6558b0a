// Ours (SEND-23 note, issue item 6): claimed messages grouped by the server
// they go to, and within a destination into transactions: copies with the
// same envelope sender, the same rendered text and the same RET/ENVID (RFC
// 3461 4.3, 4.4: MAIL's parameters) share one MAIL FROM and one DATA with an
// RCPT TO (and its own NOTIFY/ORCPT) each; other messages to that destination follow
// on the same connection.
#pragma once

#include "msgbase/message.h"
#include "sendmail/route.h"
#include "sendmail/tls_request.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sbbs {

// A claimed message (in transit) ready to be sent.
struct OutboundJob {
    smb::Message msg;               // as claimed, with its text
    std::string from, to;           // MAIL FROM / RCPT TO arguments, in <>
    // The stored DSN parameters (RFC 3461 4) as ESMTP text for a peer that
    // offers DSN: "RET=HDRS ENVID=x" for MAIL, "NOTIFY=... ORCPT=..." for
    // RCPT; "" when the message asked for nothing.
    std::string dsn_mail, dsn_rcpt;
    std::string text;               // rendered, CRLF lines, unsigned
    Route route;
    TlsRequest tls = TlsRequest::Default;   // RFC 8689: REQUIRETLS, TLS-Required: No
};

// One transaction: indexes into the job list, in queue order.
struct OutboundBatch {
    std::string from, text;
    std::string dsn_mail;           // one MAIL: its RET/ENVID are the same for every copy
    std::vector<size_t> jobs;
};

// Everything for one destination (the same route) and TLS request, in
// queue order: one session carries it.
struct OutboundGroup {
    Route route;
    TlsRequest tls = TlsRequest::Default;
    std::vector<OutboundBatch> batches;
};

// Routes that contact the same servers in the same order compare equal.
std::string route_key(const Route& r);
// At most `max_rcpts` recipients per transaction (RFC 5321 4.5.3.1.8: a
// server must accept 100).
std::vector<OutboundGroup> group_jobs(const std::vector<OutboundJob>& jobs, size_t max_rcpts);

// RFC 9422 section 5: a batch's recipients cut into transactions of at most
// the server's LIMITS RCPTMAX (0: no limit given, one transaction), in
// order, as [begin, end) index ranges; none for no recipients.
struct RcptSlice {
    size_t begin = 0, end = 0;
};
std::vector<RcptSlice> rcpt_slices(size_t rcpts, size_t rcpt_max);

} // namespace sbbs
