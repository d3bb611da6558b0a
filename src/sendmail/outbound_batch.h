// Ours (SEND-23 note, issue item 6): claimed messages grouped by the server
// they go to, and within a destination into transactions: copies with the
// same envelope sender and the same rendered text share one MAIL FROM and
// one DATA with an RCPT TO each; other messages to that destination follow
// on the same connection.
#pragma once

#include "msgbase/message.h"
#include "sendmail/route.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sbbs {

// A claimed message (in transit) ready to be sent.
struct OutboundJob {
    smb::Message msg;               // as claimed, with its text
    std::string from, to;           // MAIL FROM / RCPT TO arguments, in <>
    std::string text;               // rendered, CRLF lines, unsigned
    Route route;
};

// One transaction: indexes into the job list, in queue order.
struct OutboundBatch {
    std::string from, text;
    std::vector<size_t> jobs;
};

// Everything for one destination (the same route), in queue order.
struct OutboundGroup {
    Route route;
    std::vector<OutboundBatch> batches;
};

// Routes that contact the same servers in the same order compare equal.
std::string route_key(const Route& r);
// At most `max_rcpts` recipients per transaction (RFC 5321 4.5.3.1.8: a
// server must accept 100).
std::vector<OutboundGroup> group_jobs(const std::vector<OutboundJob>& jobs, size_t max_rcpts);

} // namespace sbbs
