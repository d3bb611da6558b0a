// Server: listener set-up and swap, admission (MaxClients), session threads.
#include "server/server.h"

#include "net/socket_session_io.h"
#include "server/not_available_handler.h"
#include "server/tls_setup.h"
#include "util/mail_metrics.h"

#include <algorithm>
#include <cstdio>
#include <exception>

namespace sbbs {

namespace {

// "0012 SMTP  " — socket number and protocol, as every session log line starts.
std::string prefix(int socket_id, ListenerKind kind) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d %-5s ", socket_id, protocol_name(kind));
    return buf;
}

unsigned inactivity(const Config& config) {
    return config.mail.max_inactivity_s ? config.mail.max_inactivity_s : 120;   // CFG-59
}

} // namespace

Server::Server(ConfigPtr config, SessionHandlers handlers, Logger& log)
    : handlers_(std::move(handlers)), log_(log), config_(std::move(config)),
      lists_(std::make_shared<AdmissionLists>(*config_)), sockopts_(load_socket_options(*config_)) {}

std::shared_ptr<const SocketOptionTable> Server::load_socket_options(const Config& config) {
    Diagnostics diags;
    auto t = std::make_shared<const SocketOptionTable>(SocketOptionTable::load(config.paths.ctrl + "sockopts.ini", diags));
    for (const auto& d : diags) log_.log(d.level, d.text());
    return t;
}

std::shared_ptr<const SocketOptionTable> Server::socket_options() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sockopts_;
}

Server::~Server() { stop(); }

ConfigPtr Server::config() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return config_;
}

std::shared_ptr<TlsContext> Server::tls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return tls_;
}

std::shared_ptr<AdmissionLists> Server::admission_lists() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lists_;
}

std::vector<PlannedListener> Server::listening() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return plan_;
}

Status Server::start() {
    ConfigPtr cfg = config();
    auto tls = prepare_tls(*cfg, log_);
    if (!tls) log_.log(LogLevel::Critical, "!TLS support disabled: " + tls.error().message);
    auto plan = plan_listeners(cfg->mail, tls.ok());
    requested_ = plan;
    auto clash = check_listener_plan(plan, cfg->paths.sbbs_ini);
    if (!clash.empty()) return make_error(clash.front().text(), ErrorCode::Invalid);
    auto bound = bind_all(plan, BindRetry{cfg->mail.bind_retry_count, cfg->mail.bind_retry_delay_s});
    if (!bound) return bound.error();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (tls) tls_ = *tls;
    }
    listen_on(std::move(*bound));
    started_ = true;
    return {};
}

Result<Server::Bound> Server::bind_all(const std::vector<PlannedListener>& plan, const BindRetry& retry) {
    Bound bound;
    for (auto l : plan) {
        auto s = open_listener_retrying(l.ip, l.port, retry, protocol_name(l.kind), log_, stop_flag_);
        if (!s) return make_error(std::string(protocol_name(l.kind)) + " " + s.error().message, ErrorCode::Io);
        l.port = s->local().port;   // port 0 (tests) becomes the one the system chose
        log_.log(LogLevel::Info, "Listening on " + describe(l));
        bound.plan.push_back(l);
        bound.sockets.push_back(std::move(*s));
    }
    return bound;
}

void Server::listen_on(Bound bound) {
    auto plan = bound.plan;
    acceptor_ = std::make_unique<Acceptor>(std::move(bound.sockets), [this, plan](Socket s, size_t i) {
        on_accept(std::move(s), plan[i]);
    });
    std::lock_guard<std::mutex> lock(mutex_);
    plan_ = std::move(bound.plan);
}

// ISSUE13-7: a reload (SIGHUP) re-reads the certificate and key, so new
// sessions get a renewed pair while open ones keep the context they started
// with. A pair that does not load leaves the one in use serving: a botched
// renewal must not take TLS (and its listeners) away. The log names the file.
std::shared_ptr<TlsContext> Server::reload_tls(const Config& next) {
    auto fresh = prepare_tls(next, log_);
    if (fresh) return *fresh;
    auto running = tls();
    if (running)
        log_.log(LogLevel::Error, "!TLS: keeping the certificate in use, the new one does not load: " +
                                      fresh.error().message);
    else
        log_.log(LogLevel::Critical, "!TLS support disabled: " + fresh.error().message);
    return running;
}

Status Server::reload(ConfigPtr next) {
    ConfigPtr old = config();
    std::shared_ptr<TlsContext> tls = reload_tls(*next);
    auto plan = plan_listeners(next->mail, tls != nullptr);
    auto clash = check_listener_plan(plan, next->paths.sbbs_ini);
    if (!clash.empty()) return make_error(clash.front().text(), ErrorCode::Invalid);
    if (plan != requested_) {
        acceptor_.reset();   // frees the ports the new plan may reuse
        auto bound = bind_all(plan, BindRetry{0, 0});
        if (!bound) {
            auto back = bind_all(listening(), BindRetry{old->mail.bind_retry_count, old->mail.bind_retry_delay_s});
            if (back) listen_on(std::move(*back));
            return bound.error();
        }
        listen_on(std::move(*bound));
        requested_ = plan;
    }
    auto lists = std::make_shared<AdmissionLists>(*next);
    auto sockopts = load_socket_options(*next);
    std::lock_guard<std::mutex> lock(mutex_);
    sockopts_ = std::move(sockopts);
    config_ = std::move(next);
    lists_ = std::move(lists);
    tls_ = std::move(tls);
    return {};
}

void Server::stop() {
    stopping_.store(true);
    stop_flag_.request();
    acceptor_.reset();
    sessions_.interrupt_all();
    sessions_.join_all();
    if (started_ && !summarized_) {
        summarized_ = true;
        log_.log(LogLevel::Info, summary());                                           // SMTP-256
    }
}

std::string Server::summary() const {
    return "#### Mail Server thread terminated (0 threads remain, " + std::to_string(counters_.served.load()) +
           " clients served, " + std::to_string(per_ip_.refused()) + " exceeded concurrent limit, " +
           std::to_string(limit_.refused()) + " exceeded MaxClients)";
}

// SMTP-15 / POP3-9: concurrent connections per IP, ip-silent.can, then MaxClients.
void Server::on_accept(Socket client, const PlannedListener& listener) {
    sessions_.reap();
    ConfigPtr cfg = config();
    std::string ip = client.peer().ip;
    auto lists = admission_lists();
    bool exempt = lists->exempt(ip);                                                  // CFG-142, by IP only
    uint32_t per_ip = exempt ? 0 : cfg->mail.max_concurrent_connections;
    std::shared_ptr<PerIpConnections::Hold> hold = per_ip_.try_open(ip, per_ip);
    if (!hold) return refuse_concurrent(client, listener, ip, per_ip);                // SMTP-16
    if (!exempt && lists->silent(ip)) return;                                         // SMTP-17: no reply, no log
    uint32_t max = effective_max_clients(*cfg);
    std::shared_ptr<ClientLimit::Slot> slot = limit_.try_acquire(max);
    if (!slot) return refuse(client, listener, max);
    note_highwater(client, listener);
    for (const auto& bad : apply_socket_options(client, socket_options()->for_protocol(protocol_name(listener.kind))))
        log_.log(LogLevel::Error, prefix(client.fd(), listener.kind) + "!Unknown or failed socket option: " + bad);   // SMTP-263
    SessionIoOptions opts;
    opts.write_timeout_s = opts.handshake_timeout_s = inactivity(*cfg);
    auto tls_ctx = tls();
    auto io = std::make_shared<SocketSessionIo>(std::move(client), tls_ctx, opts);
    SessionContext ctx{cfg, listener.kind, protocol_name(listener.kind), is_submission(listener.kind),
                       is_implicit_tls(listener.kind), tls_ctx != nullptr, inactivity(*cfg), io->socket_id(),
                       &log_, &stopping_, &counters_, nullptr};
    // Weak: a copy of the context may outlive the session (and the server).
    ctx.logged_in = [weak = std::weak_ptr<PerIpConnections::Hold>(hold)] {
        if (auto h = weak.lock()) h->logged_in();
    };
    auto body = [this, io, ctx, slot, hold]() mutable {
        run_session(*io, ctx);
        io->close();    // the client sees the end now, not when the thread is reaped
        hold.reset();   // frees this IP's place (MaxConcurrentConnections)
        slot.reset();   // and the MaxClients slot
    };
    sessions_.start(std::move(body), [io] { io->interrupt(); });
}

// SMTP-18 / POP3-9: one line in clear text (SMTP-19, POP3-10), then close.
void Server::refuse(const Socket& client, const PlannedListener& listener, uint32_t max_clients) {
    log_.log(LogLevel::Warning, prefix(client.fd(), listener.kind) + over_limit_log(max_clients, limit_.refused()));
    (void)client.set_nonblocking(true);   // never let a stalled client hold up accepting
    send_all(client, over_limit_reply(listener.kind));
}

// The reply goes out in clear text on every port, as for MaxClients.
void Server::refuse_concurrent(const Socket& client, const PlannedListener& listener, const std::string& ip,
                               uint32_t limit) {
    log_.log(LogLevel::Notice,
             prefix(client.fd(), listener.kind) + "[" + ip + "] " + concurrent_limit_log(limit, per_ip_.refused()));
    (void)client.set_nonblocking(true);
    send_all(client, concurrent_limit_reply(listener.kind));
}

// POP3-115: a new maximum of simultaneous sessions (above 1) is worth a NOTICE.
void Server::note_highwater(const Socket& client, const PlannedListener& listener) {
    uint32_t now = counters_.active.load();
    if (now <= highwater_) return;
    highwater_ = now;
    if (now > 1)
        log_.log(LogLevel::Notice,
                 prefix(client.fd(), listener.kind) + "New active client highwater mark: " + std::to_string(now));
}

// issue #17: the metrics' protocols are ListenerKind's, in the same order.
static_assert(int(ListenerKind::Pop3Tls) == int(metrics::SessionProtocol::Pop3Tls));

void Server::run_session(SessionIo& io, const SessionContext& ctx) {
    metrics::OpenSession open(static_cast<metrics::SessionProtocol>(ctx.kind));
    if (ctx.implicit_tls) {
        auto s = io.start_tls();   // SMTP-23 / POP3-15: a failure ends the session silently
        if (!s) {
            // SMTP-91: handshake noise is never above INFO, and TLSErrorLevel
            // may make it quieter still.
            auto level = std::max(LogLevel::Info, ctx.config->mail.tls_error_level);
            log_.log(level, prefix(ctx.socket_id, ctx.kind) + "[" + io.peer_ip() + "] " + s.error().message);
            return;
        }
    }
    try {
        make_handler(ctx.kind)->run(io, ctx);
    } catch (const std::exception& e) {
        log_.log(LogLevel::Error, prefix(ctx.socket_id, ctx.kind) + "!session ended by an internal error: " + e.what());
    }
}

std::unique_ptr<SessionHandler> Server::make_handler(ListenerKind kind) const {
    const HandlerFactory& f = is_pop3(kind) ? handlers_.pop3 : handlers_.smtp;
    std::unique_ptr<SessionHandler> h = f ? f(kind) : nullptr;
    if (!h) h = std::make_unique<NotAvailableHandler>();
    return h;
}

} // namespace sbbs
