// MaxClients accounting with a compare-and-swap, so the accept thread and
// finishing sessions never race past the limit.
#include "server/client_limit.h"

#include "server/listener_plan.h"

#include <algorithm>

namespace sbbs {

ClientLimit::Slot::~Slot() { owner_->counters_.active.fetch_sub(1); }

std::unique_ptr<ClientLimit::Slot> ClientLimit::try_acquire(uint32_t max_clients) {
    uint32_t now = counters_.active.load();
    do {
        if (now >= max_clients) {
            refused_.fetch_add(1);
            return nullptr;
        }
    } while (!counters_.active.compare_exchange_weak(now, now + 1));
    counters_.served.fetch_add(1);
    return std::make_unique<Slot>(this);
}

uint32_t effective_max_clients(const Config& config) {
    if (config.mail.max_clients != 0) return config.mail.max_clients;
    return std::max<uint32_t>(10, static_cast<uint32_t>(config.sys.node_dirs.size()));
}

std::string over_limit_reply(ListenerKind kind) {
    const char* text = "System Error: Maximum active clients reached, try again later\r\n";
    return std::string(is_pop3(kind) ? "-ERR " : "421 ") + text;
}

std::string thread_counts(const SessionCounters& counters) {
    uint32_t active = counters.active.load();
    uint32_t remain = active ? active - 1 : 0;   // the asking session still holds its slot
    return "(" + std::to_string(remain) + " threads remain, " + std::to_string(counters.served.load()) +
           " clients served)";
}

std::string over_limit_log(uint32_t max_clients, uint64_t total_refused) {
    return "!MAXIMUM CLIENTS (" + std::to_string(max_clients) + ") reached, access denied (" +
           std::to_string(total_refused) + " total)";
}

} // namespace sbbs
