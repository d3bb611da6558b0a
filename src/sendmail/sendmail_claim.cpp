// SendMail's claim of a round of messages (SEND-19): each is marked in
// transit, durable, before any network activity, so that a crash can repeat
// a delivery but never lose one. A round is marked in one write with one
// fsync pair (MailStore::update_headers): two fsyncs per message were the
// largest cost of an outbound queue run (bench/outbound).
#include "sendmail/sendmail.h"

namespace sbbs {

using namespace smb;

std::vector<SendMail::Candidate> SendMail::claim(std::vector<Candidate> round, ScanStats& st) {
    std::vector<MessageHeader> marked;
    marked.reserve(round.size());
    for (Candidate& c : round) {
        c.hdr.netattr |= netattr::INTRANSIT;
        retry_->started(c.hdr.number);
        marked.push_back(c.hdr);
    }
    if (marked.empty() || d_.store.update_headers(marked)) return round;
    // Which ones the failed batch wrote is unknown: one by one, as before,
    // so that only a message whose claim is durable is sent.
    std::vector<Candidate> claimed;
    for (Candidate& c : round) {
        if (Status s = d_.store.update_header(c.hdr); !s) {
            log(LogLevel::Error, "0000 !SEND ERROR (" + s.error().message + ") marking message #" +
                                     std::to_string(c.hdr.number) + " in transit");
            tally(st, Done::Skipped);
            continue;
        }
        claimed.push_back(std::move(c));
    }
    return claimed;
}

} // namespace sbbs
