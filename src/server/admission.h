// Accept-time admission before MaxClients (SMTP-15..SMTP-17, POP3-9):
// connections per IP that have not logged in (MaxConcurrentConnections)
// and text/ip-silent.can; an IP in ctrl/ipfilter_exempt.cfg skips both.
#pragma once

#include "config/cached_pattern_list.h"
#include "config/settings.h"
#include "server/session_handler.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace sbbs {

// Open connections per client IP, and how many of them have logged in.
class PerIpConnections {
public:
    // One open connection; released when destroyed.
    class Hold {
    public:
        Hold(PerIpConnections& owner, std::string ip) : owner_(owner), ip_(std::move(ip)) {}
        ~Hold();
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;
        // The session authenticated (counted once): it no longer counts
        // against MaxConcurrentConnections (SMTP-16, SMTP-76).
        void logged_in();

    private:
        PerIpConnections& owner_;
        std::string ip_;
        std::atomic<bool> logged_in_{false};
    };

    // Registers a connection from `ip`, or null when `limit` (> 0) connections
    // from it are open without a login. `limit` 0 never refuses.
    std::shared_ptr<Hold> try_open(const std::string& ip, uint32_t limit);
    uint64_t refused() const { return refused_.load(); }
    uint32_t open(const std::string& ip);

private:
    struct Count {
        uint32_t open = 0, logged_in = 0;
    };
    std::mutex mu_;
    std::map<std::string, Count> by_ip_;
    std::atomic<uint64_t> refused_{0};
};

// The cached lists the accept loop consults (CFG-133), for one install.
class AdmissionLists {
public:
    explicit AdmissionLists(const Config& config);
    bool exempt(const std::string& ip) { return exempt_.contains(ip); }
    bool silent(const std::string& ip) { return silent_.contains(ip); }

private:
    CachedPatternList exempt_, silent_;
};

// The one line (with CRLF) sent before closing a connection over
// MaxConcurrentConnections, and its NOTICE log text.
std::string concurrent_limit_reply(ListenerKind kind);
std::string concurrent_limit_log(uint32_t limit, uint64_t total_refused);

} // namespace sbbs
