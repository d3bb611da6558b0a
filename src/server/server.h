// The mail server runtime: listeners from the configuration snapshot, one
// accept thread, a thread per session with a protocol handler, MaxClients,
// reload without dropping sessions, and an orderly stop.
#pragma once

#include "config/settings.h"
#include "log/logger.h"
#include "net/acceptor.h"
#include "net/listener.h"
#include "net/stop_flag.h"
#include "net/tls.h"
#include "server/admission.h"
#include "server/client_limit.h"
#include "server/listener_plan.h"
#include "server/socket_options.h"
#include "server/session_handler.h"
#include "server/session_registry.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace sbbs {

class Server {
public:
    Server(ConfigPtr config, SessionHandlers handlers, Logger& log);
    ~Server();   // stop()
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Prepares TLS and binds every planned listener (with BindRetryCount /
    // BindRetryDelay); a listener that cannot be bound is fatal (CFG-168).
    Status start();
    std::vector<PlannedListener> listening() const;
    // Thread-safe: makes a running start() give up its bind retries.
    void cancel_start() { stop_flag_.request(); }
    bool start_cancelled() const { return stop_flag_.requested(); }
    // Swaps in a new snapshot; open sessions keep theirs. Listeners are
    // rebuilt only when the plan changed; on failure the old configuration
    // and listeners stay (CFG-170). The TLS pair is re-read; one that does
    // not load leaves the running one in place (ISSUE13-7).
    Status reload(ConfigPtr next);
    // Stops accepting, tells sessions to end, joins every thread.
    void stop();
    // Joins finished session threads (the main loop calls it now and then).
    size_t reap() { return sessions_.reap(); }
    ConfigPtr config() const;
    const SessionCounters& counters() const { return counters_; }
    // SMTP-256: the summary line stop() logs once, for a server that started.
    std::string summary() const;

private:
    struct Bound {
        std::vector<PlannedListener> plan;
        std::vector<Socket> sockets;
    };
    Result<Bound> bind_all(const std::vector<PlannedListener>& plan, const BindRetry& retry);
    void listen_on(Bound bound);
    void on_accept(Socket client, const PlannedListener& listener);
    void refuse(const Socket& client, const PlannedListener& listener, uint32_t max_clients);
    void refuse_concurrent(const Socket& client, const PlannedListener& listener, const std::string& ip,
                           uint32_t limit);
    void note_highwater(const Socket& client, const PlannedListener& listener);
    std::shared_ptr<AdmissionLists> admission_lists() const;
    std::shared_ptr<const SocketOptionTable> socket_options() const;
    std::shared_ptr<const SocketOptionTable> load_socket_options(const Config& config);
    void run_session(SessionIo& io, const SessionContext& ctx);
    std::unique_ptr<SessionHandler> make_handler(ListenerKind kind) const;
    std::shared_ptr<TlsContext> tls() const;
    std::shared_ptr<TlsContext> reload_tls(const Config& next);

    SessionHandlers handlers_;
    Logger& log_;
    mutable std::mutex mutex_;            // config_, tls_, plan_
    ConfigPtr config_;
    std::shared_ptr<TlsContext> tls_;
    std::shared_ptr<AdmissionLists> lists_;  // for config_'s install
    std::shared_ptr<const SocketOptionTable> sockopts_;   // ctrl/sockopts.ini of config_
    std::vector<PlannedListener> plan_;      // as bound (actual ports)
    std::vector<PlannedListener> requested_; // as configured; controlling thread only
    std::unique_ptr<Acceptor> acceptor_;  // touched by the controlling thread only
    StopFlag stop_flag_;
    std::atomic<bool> stopping_{false};
    SessionCounters counters_;
    ClientLimit limit_{counters_};
    PerIpConnections per_ip_;
    uint32_t highwater_ = 0;              // accept thread only
    bool started_ = false, summarized_ = false;   // controlling thread only
    SessionRegistry sessions_;
};

} // namespace sbbs
