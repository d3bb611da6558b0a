// SendMail's claim of a round of messages (SEND-19): each is marked in
// transit, durable, before any network activity, so that a crash can repeat
// a delivery but never lose one. A round is marked in one write with one
// fsync pair (MailStore::update_headers_if): two fsyncs per message were the
// largest cost of an outbound queue run (bench/outbound). That fsync pair
// also makes the sent marks written since durable (group commit, issue #14).
#include "sendmail/sendmail.h"

#include <algorithm>

namespace sbbs {

using namespace smb;

namespace {
// Issue #14 review: judged on the header as it is under the base's lock, not
// on the copy eligible() read: a DELETE, a SENT or another sender's claim
// made since then wins, and only the in-transit bit is added.
bool still_claimable(const MessageHeader& now, const MessageHeader& seen) {
    if ((now.attr & attr::DELETE) || (now.netattr & netattr::SENT)) return false;
    // In transit now but not when read: another sender claimed it meanwhile.
    // (Set when read too: a stale or SEND_INTRANSIT claim eligible() accepted.)
    return !(now.netattr & netattr::INTRANSIT) || (seen.netattr & netattr::INTRANSIT);
}
} // namespace

std::vector<SendMail::Candidate> SendMail::claim(std::vector<Candidate> round, ScanStats& st) {
    if (round.empty()) return round;
    std::vector<uint32_t> numbers;
    numbers.reserve(round.size());
    for (Candidate& c : round) {
        retry_->started(c.hdr.number);
        numbers.push_back(c.hdr.number);
    }
    bool had_marks = marks_unsynced_.exchange(false);
    std::vector<bool> written;
    Status s = d_.store.update_headers_if(
        numbers,
        [&](size_t i, MessageHeader& now) {
            if (!still_claimable(now, round[i].hdr)) return false;
            now.netattr |= netattr::INTRANSIT;
            round[i].hdr = now;
            return true;
        },
        false, written);
    written.resize(round.size(), false);   // a store that failed before looking wrote nothing
    // Durable before any network activity (SEND-19), and with them the sent
    // marks written so far; the fsync pair is made outside the base's lock.
    if (s && std::find(written.begin(), written.end(), true) != written.end()) s = d_.store.sync_updates();
    if (!s) {
        // Locked or replaced (after smb_retry_time), or a write that failed:
        // the round is left queued for a later scan rather than waiting
        // again for each message; what was marked is unmarked (best effort).
        if (had_marks) marks_unsynced_ = true;
        log(LogLevel::Warning, "0000 !SEND ERROR (" + s.error().message + ") marking " +
                                   std::to_string(round.size()) + " message(s) in transit: left queued");
        for (size_t i = 0; i < round.size(); ++i) {
            retry_->forget(round[i].hdr.number);
            if (written[i]) clear_intransit(round[i].hdr.number);
            tally(st, Done::Skipped);
        }
        return {};
    }
    std::vector<Candidate> claimed;
    claimed.reserve(round.size());
    for (size_t i = 0; i < round.size(); ++i) {
        if (written[i]) {
            claimed.push_back(std::move(round[i]));
            continue;
        }
        retry_->forget(round[i].hdr.number);   // deleted, sent or claimed elsewhere since it was read
        log(LogLevel::Debug, "0000 SEND Message #" + std::to_string(round[i].hdr.number) +
                                 " changed since it was read (deleted, sent or in transit): not claimed");
        tally(st, Done::Skipped);
    }
    if (had_marks && claimed.empty()) marks_unsynced_ = true;   // no fsync pair was made
    return claimed;
}

} // namespace sbbs
