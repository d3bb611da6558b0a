// MaxClients (CFG-58): a slot per running session, SMTP and POP3 together;
// the reply a connection over the limit gets (SMTP-18, POP3-9).
#pragma once

#include "config/settings.h"
#include "server/session_handler.h"

#include <memory>
#include <string>

namespace sbbs {

class ClientLimit {
public:
    // Held by a session while it runs; frees the slot when destroyed.
    class Slot {
    public:
        explicit Slot(ClientLimit* owner) : owner_(owner) {}
        ~Slot();
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;

    private:
        ClientLimit* owner_;
    };

    explicit ClientLimit(SessionCounters& counters) : counters_(counters) {}
    // A slot, or null when `max_clients` sessions already run.
    std::unique_ptr<Slot> try_acquire(uint32_t max_clients);
    uint64_t refused() const { return refused_.load(); }

private:
    SessionCounters& counters_;
    std::atomic<uint64_t> refused_{0};
};

// CFG-58 / SMTP-8: 0 means the number of BBS nodes, but at least 10.
uint32_t effective_max_clients(const Config& config);

// The one line (with CRLF) sent before closing a connection over the limit.
std::string over_limit_reply(ListenerKind kind);
// The WARNING log text for it: "!MAXIMUM CLIENTS (N) reached, access denied (T total)".
std::string over_limit_log(uint32_t max_clients, uint64_t total_refused);

} // namespace sbbs
