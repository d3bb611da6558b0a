// SendMail's delivery workers (issue #14): each takes a destination's
// claimed messages from the queues, reads, routes and renders them itself
// (in parallel with the other workers, not serially before a round), and
// sends them over a session it keeps open for that destination's next
// messages; and the opening of that session (SEND-41..52).
#include "sendmail/sendmail.h"

#include "config/options.h"
#include "sendmail/route.h"
#include "util/mail_metrics.h"

namespace sbbs {

using namespace smb;

void SendMail::work(OutboundQueues& queues, size_t count, ScanStats& st) {
    HeldSession held;
    std::string dest;
    while (auto take = queues.next(dest)) {
        if (take->key != held.key) {   // another destination (or none for a while): the old session ends
            close_session(held);
            held.key = take->key;
        }
        if (!take->messages.empty()) deliver_take(*take, count, held, st);
    }
    close_session(held);
}

// SEND-83; SEND-63: after a failure the connection is just closed.
void SendMail::close_session(HeldSession& held) {
    if (held.ls.session && held.last_sent) held.ls.session->quit();
    held.ls.session.reset();   // the session goes before the link it talks over
    held.ls = LiveSession{};
    held.route.clear();
    held.last_sent = held.needs_reset = held.carried = false;
}

void SendMail::deliver_take(const DestinationTake& take, size_t count, HeldSession& held, ScanStats& st) {
    std::vector<OutboundJob> jobs;
    if (must_end()) {   // SEND-9, SEND-21: left queued, no attempt counted
        for (const ClaimedMessage& c : take.messages) {
            std::lock_guard lk(book_mu_);
            clear_intransit(c.hdr.number);
            tally(st, Done::Skipped);
        }
        return;
    }
    for (const ClaimedMessage& c : take.messages)
        if (auto done = prepare(c, count, jobs)) tally(st, *done);
    if (jobs.empty()) return;
    std::vector<OutboundGroup> groups = group_jobs(jobs, s_.max_batch_rcpts);
    if (d_.dkim) {   // SEND-72: every message, one d= domain; signed once per transaction
        for (auto& g : groups)
            for (auto& b : g.batches) {
                if (auto sig = d_.dkim->sign(b.text, time(nullptr))) b.text = *sig + b.text;
                else log(LogLevel::Warning, "0000 SEND !DKIM signing failed - sending unsigned");
            }
    }
    for (auto& g : groups) deliver_group(g, jobs, held, st);
}

// One destination's transactions in order over the worker's session (opened
// when it has none). A session that fails before mail (greeting, EHLO, AUTH)
// fails every message still waiting; a lost connection leaves the rest for a
// new one. Issue #14: after a completed transaction the next MAIL follows at
// once (RFC 5321 4.1.1.5); RSET only after a failed or aborted one. A
// reused connection found closed at MAIL is replaced at no cost. RFC 8689:
// a REQUIRETLS group has sessions of its own (session_key), opened only to
// a host that passes its checks; when none does, every message is refused.
void SendMail::deliver_group(const OutboundGroup& g, std::vector<OutboundJob>& jobs, HeldSession& held,
                             ScanStats& st) {
    bool auth = g.route.kind == RouteKind::Relay && s_.relay_auth_methods() > 0;
    // A take may hold several routes (domains whose look-up failed at the
    // claim and answered in the worker): a session only ever carries mail of
    // the route it was opened for, never another domain's (review 2, finding 1).
    const std::string route = session_key(route_key(g.route), g.tls);
    if (held.ls.session && held.route != route) close_session(held);
    size_t next = 0;   // the first batch not yet tried
    auto rest = [&](auto&& each) {
        for (; next < g.batches.size(); ++next)
            for (size_t k : g.batches[next].jobs) each(jobs[k]);
    };
    while (next < g.batches.size()) {
        if (must_end()) return rest([&](OutboundJob& j) { release(j, st); });   // SEND-9, SEND-21
        if (held.ls.session && held.needs_reset && !held.ls.session->reset()) close_session(held);
        held.needs_reset = false;
        if (!held.ls.session) {
            close_session(held);
            std::string last_error;
            held.ls = open_session(g.route, auth, g.tls, last_error);
            held.route = route;
            if (!held.ls.session) {   // no host reached (SEND-46), or none fit for REQUIRETLS (RFC 8689 4.2.1)
                SessionOutcome o = held.ls.opened.tls_refused ? held.ls.opened
                                                              : SessionOutcome{SessionResult::TempFail, last_error};
                return rest([&](OutboundJob& j) { settle(j, o, 0, st); });
            }
            if (held.ls.opened.result != SessionResult::Sent) {
                SessionOutcome o = held.ls.opened;
                int sock = held.ls.sock;
                close_session(held);
                return rest([&](OutboundJob& j) { settle(j, o, sock, st); });
            }
        }
        const OutboundBatch& b = g.batches[next++];
        SmtpTransaction tx{b.from, {}, b.text, b.dsn_mail, {}};
        tx.requiretls = g.tls == TlsRequest::Required;   // RFC 8689 4.2.1
        for (size_t k : b.jobs) {
            tx.to.push_back(jobs[k].to);
            tx.dsn_rcpt.push_back(jobs[k].dsn_rcpt);   // RFC 3461 4.1, 4.2: each recipient its own
        }
        bool reused = held.carried;
        auto began = std::chrono::steady_clock::now();
        TransactionOutcome r = held.ls.session->send(tx);
        if (r.any_sent()) metrics::mail_metrics().outbound_latency.observe(std::chrono::steady_clock::now() - began);   // issue #17
        held.carried = true;
        int sock = held.ls.sock;
        for (SessionOutcome& o : r.rcpt)   // for the notices (RFC 3461 6.2, RFC 3464 2.3.5); send() set peer_dsn
            if (o.remote.empty()) o.remote = held.ls.session->server();
        if (reused && r.closed_at_mail) {
            // Issue #14 review: the peer closed the held connection since
            // (idle time-out, its own message cap, 421). Not the mail's
            // fault: the batch goes again, once, on a new connection, where
            // a failure counts.
            log(LogLevel::Debug, sock_text(sock) + " SEND server closed the connection: a new one for the next message");
            held.last_sent = false;   // no QUIT on a closed connection
            close_session(held);
            --next;
            continue;
        }
        held.last_sent = r.any_sent();
        held.needs_reset = !r.any_sent();
        if (!r.usable) {
            held.last_sent = false;   // no QUIT on a connection that failed
            close_session(held);
        } else if (held.ls.session->mail_max_reached()) {   // RFC 9422: QUIT; the next MAIL on a new connection
            log(LogLevel::Debug, "0000 SEND server's LIMITS MAILMAX reached: a new connection for the next message");
            close_session(held);      // QUITs when the last transaction sent
        }
        for (size_t k = 0; k < b.jobs.size(); ++k) settle(jobs[b.jobs[k]], r.rcpt[k], sock, st);
    }
}

// SEC-6 and RFC 8689 4.2.1: what STARTTLS must check of `host`.
SessionStart SendMail::session_start(const Route& route, const Destination& host, bool auth, TlsRequest tls) const {
    SessionStart how{true, auth, {}};
    if (tls == TlsRequest::Required) {
        // The certificate must verify for the name the route gave (the MX
        // host, the domain itself without MX, the relay or explicit host),
        // even where RelayTLSVerify is off. A Local route never leaves this
        // machine, whose own certificate is usually self-signed: TLS and
        // REQUIRETLS are still asked for, so the mark is kept.
        how.requiretls = true;
        how.tls = {route.kind != RouteKind::Local, bare_host(host.name), s_.relay_tls_ca_file};
        return how;
    }
    if (route.kind == RouteKind::Relay && s_.relay_tls_verify)   // SEC-6; MX hosts stay opportunistic
        how.tls = {true, bare_host(route.hosts.front().name), s_.relay_tls_ca_file};
    // Hook for issue #16: the recipient domain's own policies (DANE, MTA-STS)
    // go here, for MX routes and TlsRequest::Default only: RFC 8689 4.2.2's
    // "TLS-Required: No" (TlsRequest::NotRequired) asks that they be ignored.
    return how;
}

SendMail::LiveSession SendMail::open_session(const Route& route, bool auth, TlsRequest tls, std::string& last_error) {
    const std::string& first = route.hosts.front().name;
    LiveSession refused;        // RFC 8689 4.2.1: the last host that could not carry REQUIRETLS mail
    bool unreached = false;
    for (size_t i = 0; i < route.hosts.size() && !stop_; ++i) {
        if (i > 0) log(LogLevel::Debug, "0000 SEND reverting to next MX: " + route.hosts[i].name);
        SessionStart how = session_start(route, route.hosts[i], auth, tls);
        LiveSession ls = try_host(route.hosts[i], route.kind, how, first, last_error);
        if (!ls.session) { unreached = true; continue; }   // not reached: the next host (SEND-45)
        if (!ls.opened.tls_refused) return ls;
        refused.opened = ls.opened;                         // it quit itself: the next host
    }
    // A host not reached today may qualify tomorrow: then the refusal is
    // temporary, and only a route whose every host refused returns the mail.
    if (refused.opened.tls_refused && unreached) refused.opened.result = SessionResult::TempFail;
    return refused;
}

SendMail::LiveSession SendMail::try_host(const Destination& d, RouteKind kind, const SessionStart& how,
                                         const std::string& first_name, std::string& last_error) {
    log(LogLevel::Debug, "0000 SEND resolving SMTP hostname: '" + d.name + "'");
    std::string ip = resolve_host(d.name, d_.dns, kind != RouteKind::Mx);
    if (ip.empty()) {
        log(LogLevel::Warning, "0000 !Failure resolving hostname: '" + d.name + "'");
        last_error = "Error resolving hostname '" + d.name + "'";
        return {};
    }
    // SEND-41, and ours (SEC-10): an explicit user@host:port route is judged
    // too, or any BBS user could make SendMail talk to a service on this host.
    bool guarded = kind == RouteKind::Mx || kind == RouteKind::Explicit;
    if (guarded && !s_.allow_loopback_hosts && reaches_this_host(ip)) {
        std::string what = kind == RouteKind::Mx ? "MX server" : "server";
        log(LogLevel::Info, "0000 SEND Bad IP address (" + ip + ") for " + what + ": " + d.name);
        last_error = "Bad IP address (" + ip + ") for " + what + ": " + d.name;
        return {};
    }
    std::string key = ip + ":" + std::to_string(d.port);
    {
        std::lock_guard lk(failed_mu_);
        if (auto f = failed_servers_.find(key); f != failed_servers_.end()) {   // SEND-42
            last_error = "Error " + std::to_string(f->second) + " connecting to port " + std::to_string(d.port) +
                         " on " + d.name + " [" + ip + "]";
            log(LogLevel::Info, "0000 SEND skipping failed SMTP server: " + last_error);
            return {};
        }
    }
    LiveSession ls = connect_host(d, ip, how, first_name, last_error);
    // RFC 8689: REQUIRETLS mail never falls back to plain text (its failures are tls_refused).
    if (ls.session && ls.opened.result == SessionResult::TlsFailed && !how.requiretls) {
        // SEND-52: start over once in plain text; TLS trouble alone never bounces.
        SessionStart plain = how;
        plain.try_tls = false;
        ls.session.reset();         // the session goes before the link it talks over
        ls = connect_host(d, ip, plain, first_name, last_error);
        if (ls.session && ls.opened.result == SessionResult::TlsFailed) ls.session.reset();
    }
    return ls;
}

SendMail::LiveSession SendMail::connect_host(const Destination& d, const std::string& ip, const SessionStart& how,
                                             const std::string& first_name, std::string& last_error) {
    LiveSession ls;
    log(LogLevel::Info, "0000 SEND connecting to port " + std::to_string(d.port) + " on " + d.name + " [" + ip + "]");
    ConnectRequest req{ip, d.port, s_.connect_timeout_s, s_.outbound_interface, s_.max_inactivity_s, &stop_};
    Connected c = d_.connector.connect(req);
    if (!c.link) {
        log(LogLevel::Info, "0000 SEND !ERROR " + std::to_string(c.error) + " connecting to SMTP server: " + d.name);
        {
            std::lock_guard lk(failed_mu_);
            failed_servers_[ip + ":" + std::to_string(d.port)] = c.error;
        }
        last_error = "Error " + std::to_string(c.error) + " connecting to port " + std::to_string(d.port) + " on " +
                     d.name + " [" + ip + "]";
        return ls;
    }
    ls.sock = c.link->socket_number();
    log(LogLevel::Debug, sock_text(ls.sock) + " SEND connected to " + d.name);
    auto session = std::make_unique<SmtpSession>(*c.link, s_, d_.log, first_name);
    if (!session->greet(last_error)) return ls;   // SEND-44: counts as a host failure
    ls.opened = session->open(how);
    ls.link = std::move(c.link);
    ls.session = std::move(session);
    return ls;
}

} // namespace sbbs
