// How protocol handlers (SMTP, POP3) plug into the server: one handler object
// per session, run on that session's own thread with the configuration
// snapshot the session started with.
#pragma once

#include "config/listeners.h"
#include "config/settings.h"
#include "log/logger.h"
#include "net/session_io.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace sbbs {

// Counts shared by every session (MaxClients counts SMTP and POP3 together).
struct SessionCounters {
    std::atomic<uint32_t> active{0};   // sessions running now
    std::atomic<uint64_t> served{0};   // sessions started since start-up
};

struct SessionContext {
    ConfigPtr config;                  // never changes during the session
    ListenerKind kind = ListenerKind::Smtp;
    std::string protocol;              // "SMTP", "SMTPS", "POP3", "POP3S" at session start
    bool submission = false;           // SubmissionPort or TLSSubmissionPort (SMTP-11, SMTP-12)
    bool implicit_tls = false;         // the server already completed the handshake
    bool tls_available = false;        // a certificate is loaded: offer STARTTLS / STLS
    unsigned max_inactivity_s = 120;   // CFG-59: pass to every read_line
    int socket_id = 0;                 // log prefix "%04d"
    Logger* log = nullptr;
    const std::atomic<bool>* stopping = nullptr;   // true: end the session soon
    const SessionCounters* counters = nullptr;
    // Call once the client has logged in: its connection then no longer
    // counts against MaxConcurrentConnections (SMTP-16, POP3-9). May be empty.
    std::function<void()> logged_in;
};

// "(N threads remain, M clients served)" for a session-end log line written
// while the session still runs (SMTP-254, POP3-114).
std::string thread_counts(const SessionCounters& counters);

class SessionHandler {
public:
    virtual ~SessionHandler() = default;
    // Serves one connection until it ends; the server closes the socket after.
    virtual void run(SessionIo& io, const SessionContext& ctx) = 0;
};

using HandlerFactory = std::function<std::unique_ptr<SessionHandler>(ListenerKind)>;

// A missing factory means "not yet available" (see not_available_handler.h).
struct SessionHandlers {
    HandlerFactory smtp;
    HandlerFactory pop3;
};

} // namespace sbbs
