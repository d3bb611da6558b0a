// Ours (issue #14): the claimed messages of a scan waiting for a delivery
// worker, one queue per destination. The claimer adds each claimed round and
// goes on claiming while workers take work continuously (no round barrier);
// a worker holding a session to a destination takes that destination's next
// messages first (connection reuse), and at most `per_destination` workers
// hold one destination at a time, so one domain cannot take every worker.
#pragma once

#include "msgbase/message.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sbbs {

// A message claimed (in transit) for delivery: its header as claimed and its
// place in the scan's queue (for the log).
struct ClaimedMessage {
    smb::MessageHeader hdr;
    size_t index = 0;
};

// Messages of one destination handed to one worker. An empty key with no
// messages: the worker's held destination was released (it had nothing for
// `linger`), so its session should be closed.
struct DestinationTake {
    std::string key;
    std::vector<ClaimedMessage> messages;
};

class OutboundQueues {
public:
    struct Limits {
        unsigned per_destination = 20;   // workers on one destination at once
        size_t take = 64;                // messages handed out at a time
        size_t lead = 64;                // claimed messages waiting before the claimer waits
        std::chrono::milliseconds linger{2000};   // an idle held session is kept this long
    };
    explicit OutboundQueues(Limits limits) : lim_(limits) {}

    // Claimer side.
    void add(const std::string& key, std::vector<ClaimedMessage> messages);
    // Waits (at most `tick`) while `lead` messages or more wait; true when there is room.
    bool wait_for_room(std::chrono::milliseconds tick);
    void close();                        // nothing more will be added
    void stop();                         // workers take nothing more
    // Worker side: the next messages for a worker holding destination `held`
    // ("" = none): its own destination's first; else another destination's
    // with fewer than per_destination workers (then `held` becomes that one).
    // nullopt once stopped, or closed with nothing left.
    std::optional<DestinationTake> next(std::string& held);
    // What was never taken (after a stop), to be released unsent.
    std::vector<ClaimedMessage> drain();

private:
    struct Destination {
        std::deque<ClaimedMessage> waiting;
        unsigned workers = 0;
    };
    DestinationTake take_from(const std::string& key, Destination& d);
    void release(std::string& held);
    Destination* open_destination(std::string& key_out);

    Limits lim_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::map<std::string, Destination> dest_;
    std::deque<std::string> order_;      // destinations in the order their work arrived
    size_t waiting_ = 0;
    bool closed_ = false, stopped_ = false;
};

} // namespace sbbs
