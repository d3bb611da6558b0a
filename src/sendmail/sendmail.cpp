// The SendMail queue pass and per-message bookkeeping (see sendmail.h).
#include "sendmail/sendmail.h"

#include "config/options.h"
#include "sendmail/attachments.h"
#include "sendmail/auto_exempt.h"
#include "sendmail/bounce.h"
#include "sendmail/data_text.h"
#include "sendmail/delivery_pool.h"
#include "sendmail/envelope.h"

#include <cstdio>
#include <filesystem>

namespace sbbs {

using namespace smb;

namespace {
std::string sock_text(int sock) {
    char b[16];
    std::snprintf(b, sizeof b, "%04d", sock);
    return b;
}
} // namespace

std::shared_ptr<const DkimSigner> load_dkim(const SendMailSettings& s, Logger& log) {
    if (!s.dkim_sign) return nullptr;
    std::string path = s.ctrl_dir + "dkim_" + s.dkim_selector + ".pem";
    auto signer = DkimSigner::load(path, s.dkim_domain, s.dkim_selector);
    if (!signer) {
        log.log(LogLevel::Error, "!DKIM signing enabled but failed to load key '" + path + "' - sending unsigned");
        return nullptr;
    }
    log.log(LogLevel::Info, "DKIM signing enabled (d=" + s.dkim_domain + " s=" + s.dkim_selector + ")");
    return *signer;
}

SendMail::SendMail(SendMailSettings settings, SendMailDeps deps) : s_(std::move(settings)), d_(std::move(deps)) {
    if (!d_.retry) own_retry_ = std::make_unique<MemoryRetrySchedule>(s_.max_backoff_scans);
    retry_ = d_.retry ? d_.retry : own_retry_.get();
}

void SendMail::log(LogLevel level, const std::string& text) {
    if (d_.log.enabled(level)) d_.log.log(level, text);
}

void SendMail::tally(ScanStats& st, Done d) {
    switch (d) {
    case Done::Sent: ++st.sent; break;
    case Done::Failed: ++st.failed; break;
    case Done::Bounced: ++st.bounced; break;
    case Done::Skipped: ++st.skipped; break;
    }
}

ScanStats SendMail::scan(bool periodic) {
    ScanStats st;
    if (periodic) ++period_;
    {
        std::lock_guard lk(failed_mu_);
        failed_servers_.clear();
    }
    // In-transit messages are listed too, to say why they are skipped (SEND-18).
    auto queue = d_.store.queued_outbound(true);
    if (!queue) {
        log(LogLevel::Error, "0000 !SEND ERROR (" + queue.error().message + ") getting message index");
        return st;
    }
    st.candidates = unsigned(queue->size());
    // Claimed a round at a time, so a long queue is neither held in memory
    // at once nor all marked in transit before the first message leaves.
    size_t round_size = s_.claim_round ? s_.claim_round : 1;
    bool ended = false;
    for (size_t i = 0; i < queue->size() && !ended;) {
        std::vector<Candidate> round;
        for (; i < queue->size() && round.size() < round_size; ++i) {
            if (must_end()) {                                                    // SEND-9, SEND-21
                ended = true;
                break;
            }
            if (auto h = eligible((*queue)[i])) round.push_back({std::move(*h), i + 1});
            else tally(st, Done::Skipped);
        }
        if (ended) break;            // a round cut short by a stop is not claimed: it stays queued
        std::vector<OutboundJob> jobs;
        for (const Candidate& c : claim(std::move(round), st))
            if (auto done = prepare(c, queue->size(), jobs)) tally(st, *done);
        if (!jobs.empty()) dispatch(jobs, st);
        if (stop_) break;
    }
    return st;
}

std::optional<MessageHeader> SendMail::eligible(uint32_t number) {
    auto r = d_.store.read(number, false);
    if (!r) {
        log(LogLevel::Error, "0000 !SEND ERROR (" + r.error().message + ") reading message header #" +
                                 std::to_string(number));
        return std::nullopt;
    }
    MessageHeader& h = r->hdr;
    if ((h.attr & attr::DELETE) || (h.netattr & netattr::SENT) ||
        h.get_u16(hf::RECIPIENTNETTYPE).value_or(net::NONE) != net::INTERNET || h.get(hf::RECIPIENTNETADDR).empty())
        return std::nullopt;   // SEND-16
    if ((h.netattr & netattr::INTRANSIT) && !s_.has(mail_opt::SEND_INTRANSIT) && !stale_intransit(h)) {
        log(LogLevel::Notice, "0000 SEND Message #" + std::to_string(number) + " from " + envelope::sender_info(h) +
                                  " to " + envelope::recipient_info(h) + " - in transit");
        return std::nullopt;
    }
    if (!retry_->due(number, period_)) {
        log(LogLevel::Debug, "0000 SEND Message #" + std::to_string(number) + " waiting for its next retry");
        return std::nullopt;
    }
    return std::move(h);
}

std::optional<SendMail::Done> SendMail::prepare(const Candidate& c, size_t count, std::vector<OutboundJob>& jobs) {
    const MessageHeader& h = c.hdr;
    const uint32_t number = h.number;
    log(LogLevel::Info, "0000 SEND Message #" + std::to_string(number) + " (" + std::to_string(c.index) + " of " +
                            std::to_string(count) + ") from " + envelope::sender_info(h) + " to " +
                            envelope::recipient_info(h));
    auto full = d_.store.read(number, true);
    if (!full) {   // SEND-22: no attempt counted
        MessageHeader claimed = h;
        clear_intransit(claimed);
        log(LogLevel::Error, "0000 !SEND ERROR (" + full.error().message + ") retrieving message text");
        return Done::Skipped;
    }
    full->hdr.netattr |= netattr::INTRANSIT;
    std::string netaddr = h.get(hf::RECIPIENTNETADDR);
    std::string domain = envelope::destination_domain(netaddr);
    if (domain.empty()) {   // SEND-26
        log(LogLevel::Warning, "0000 !SEND INVALID destination address: " + netaddr);
        return bounce(full->hdr, "Invalid destination address: " + netaddr, true, 0);
    }
    Route route = choose_route(domain, s_, d_.dns, d_.dns_server_text);
    if (route.hosts.empty()) {
        log(LogLevel::Warning, "0000 !SEND " + route.log_text);
        return bounce(full->hdr, route.error, route.permanent, 0);
    }
    OutboundJob job;
    job.from = envelope::sender(full->hdr, s_.inet_addr);
    job.to = envelope::recipient(full->hdr);
    job.text = crlf_lines(d_.render(*full));   // SEC-2: signed (DKIM) as it is sent
    job.msg = std::move(*full);
    job.msg.body.clear();           // only the rendered text is sent: do not hold it twice
    job.msg.body.shrink_to_fit();
    job.msg.tail.clear();
    job.msg.tail.shrink_to_fit();
    job.route = std::move(route);
    jobs.push_back(std::move(job));
    return std::nullopt;
}

// Ours (SEND-98): this process never leaves its own claims set, so a flag
// that outlives `stale_intransit_scans` rescans is a crashed sender's.
bool SendMail::stale_intransit(const MessageHeader& h) {
    if (retry_->interrupted(h.number)) {
        log(LogLevel::Notice, "0000 SEND Message #" + std::to_string(h.number) +
                                  " was in transit when delivery was interrupted; sending it again");
        return true;
    }
    if (!s_.stale_intransit_scans) return false;
    auto [it, fresh] = foreign_intransit_.emplace(h.number, period_);
    if (fresh || period_ < it->second + s_.stale_intransit_scans) return false;
    foreign_intransit_.erase(it);
    log(LogLevel::Notice, "0000 SEND Message #" + std::to_string(h.number) +
                              " has been in transit for too long; taking it over");
    return true;
}

void SendMail::clear_intransit(MessageHeader& hdr) {
    hdr.netattr = uint16_t(hdr.netattr & ~netattr::INTRANSIT);
    if (Status st = d_.store.update_header(hdr); !st)
        log(LogLevel::Error, "0000 !SEND ERROR (" + st.error().message + ") clearing in-transit of message #" +
                                 std::to_string(hdr.number));
}

void SendMail::dispatch(std::vector<OutboundJob>& jobs, ScanStats& st) {
    std::vector<OutboundGroup> groups = group_jobs(jobs, s_.max_batch_rcpts);
    if (d_.dkim) {   // SEND-72: every message, one d= domain; signed once per transaction
        for (auto& g : groups)
            for (auto& b : g.batches) {
                if (auto sig = d_.dkim->sign(b.text, time(nullptr))) b.text = *sig + b.text;
                else log(LogLevel::Warning, "0000 SEND !DKIM signing failed - sending unsigned");
            }
    }
    run_bounded(groups.size(), s_.delivery_workers, [&](size_t i) { deliver_group(groups[i], jobs, st); });
}

// One destination: its transactions in order over as few connections as the
// servers allow. A session that fails before mail (greeting, EHLO, AUTH) fails
// every message still waiting; a lost connection leaves the rest for a new one.
void SendMail::deliver_group(const OutboundGroup& g, std::vector<OutboundJob>& jobs, ScanStats& st) {
    bool auth = g.route.kind == RouteKind::Relay && s_.relay_auth_methods() > 0;
    size_t next = 0;   // the first batch not yet tried
    auto rest = [&](auto&& each) {
        for (; next < g.batches.size(); ++next)
            for (size_t k : g.batches[next].jobs) each(jobs[k]);
    };
    while (next < g.batches.size()) {
        if (must_end()) return rest([&](OutboundJob& j) { release(j, st); });   // SEND-9, SEND-21
        std::string last_error;
        LiveSession ls = open_session(g.route, auth, last_error);
        if (!ls.session) {   // no host reached (SEND-46)
            SessionOutcome o{SessionResult::TempFail, last_error};
            return rest([&](OutboundJob& j) { settle(j, o, 0, st); });
        }
        if (ls.opened.result != SessionResult::Sent)
            return rest([&](OutboundJob& j) { settle(j, ls.opened, ls.sock, st); });
        for (bool go_on = true; go_on && next < g.batches.size();) {
            const OutboundBatch& b = g.batches[next++];
            SmtpTransaction tx{b.from, {}, b.text};
            for (size_t k : b.jobs) tx.to.push_back(jobs[k].to);
            TransactionOutcome r = ls.session->send(tx);
            for (size_t k = 0; k < b.jobs.size(); ++k) settle(jobs[b.jobs[k]], r.rcpt[k], ls.sock, st);
            if (next == g.batches.size() || must_end()) {
                // SEND-83; SEND-63: after a failure the connection is just closed.
                if (r.any_sent()) ls.session->quit();
                go_on = false;
            } else {
                go_on = r.usable && ls.session->reset();
            }
        }
    }
}

// Stopping, or the BBS's maintenance lock on the mail base: claimed mail is
// released unsent, as no message may be sent or booked while it is locked.
bool SendMail::must_end() const {
    return stop_ || (!s_.mail_lock_path.empty() && std::filesystem::exists(s_.mail_lock_path));
}

SendMail::LiveSession SendMail::open_session(const Route& route, bool auth, std::string& last_error) {
    const std::string& first = route.hosts.front().name;
    SessionStart how{true, auth, {}};
    if (route.kind == RouteKind::Relay && s_.relay_tls_verify)   // SEC-6; MX hosts stay opportunistic
        how.tls = {true, bare_host(first), s_.relay_tls_ca_file};
    for (size_t i = 0; i < route.hosts.size() && !stop_; ++i) {
        if (i > 0) log(LogLevel::Debug, "0000 SEND reverting to next MX: " + route.hosts[i].name);
        LiveSession ls = try_host(route.hosts[i], route.kind, how, first, last_error);
        if (ls.session) return ls;   // else: not reached, try the next host (SEND-45)
    }
    return {};
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
    if (ls.session && ls.opened.result == SessionResult::TlsFailed) {
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

// One recipient's result, booked under the lock: the workers share the base,
// the schedule and the exemption file.
void SendMail::settle(OutboundJob& job, const SessionOutcome& o, int sock, ScanStats& st) {
    // SEC-5: a failure while stopping is most likely the stop itself (it
    // cuts every wait short): the message goes back unsent, no attempt counted.
    if (stop_ && o.result != SessionResult::Sent) return release(job, st);
    std::lock_guard lk(book_mu_);
    Done d = o.result == SessionResult::Sent
                 ? succeed(job.msg, sock, o, job.to)
                 : bounce(job.msg.hdr, o.error, o.result == SessionResult::PermFail, sock);
    tally(st, d);
}

// Not tried because the server is stopping: left queued, no attempt counted.
void SendMail::release(OutboundJob& job, ScanStats& st) {
    std::lock_guard lk(book_mu_);
    clear_intransit(job.msg.hdr);
    tally(st, Done::Skipped);
}

void SendMail::remove_attachments(const MessageHeader& h) {
    if (!(h.auxattr & auxattr::FILEATTACH) || s_.data_dir.empty()) return;
    int err = 0;
    if (!delete_attachments(s_.data_dir, h, err))
        log(LogLevel::Error, "!ERROR " + std::to_string(err) + " deleting attachment: " + h.get(hf::SUBJECT));
}

SendMail::Done SendMail::succeed(Message& msg, int sock, const SessionOutcome& o, const std::string& rcpt) {
    MessageHeader h = msg.hdr;
    if (auto fresh = d_.store.read(h.number, false)) h = fresh->hdr;   // keep changes made meanwhile
    log(LogLevel::Info, sock_text(sock) + " SEND Successfully sent message #" + std::to_string(h.number) + " (" +
                            std::to_string(o.bytes) + " bytes, " + std::to_string(o.lines) +
                            " lines) from " + envelope::sender_info(h) + " to '" + h.get(hf::RECIPIENT) + "' " + rcpt);
    h.netattr = uint16_t((h.netattr | netattr::SENT) & ~netattr::INTRANSIT);
    if ((h.netattr & netattr::KILLSENT) || !envelope::has_sender_ext(h)) h.attr |= attr::DELETE;   // SEND-81
    if (Status st = d_.store.update_header(h); !st)
        log(LogLevel::Error, "!ERROR (" + st.error().message + ") deleting message #" + std::to_string(h.number));
    retry_->finished(h.number, true);
    remove_attachments(h);   // SEND-82; ours: KILLFILE waits for the final 250 too (SEND-70)
    if (envelope::sender_agent(h) == agent::PERSON && !s_.has(mail_opt::NO_AUTO_EXEMPT) && !s_.ctrl_dir.empty())
        auto_exempt(s_.ctrl_dir + "dnsbl_exempt.cfg", rcpt, envelope::sender_info(h), d_.users, d_.log, time(nullptr));
    return Done::Sent;
}

namespace {
// Storage failures that may clear by the next retry; any other error would
// recur on every try.
// A base replaced under the write (Stale, after its one retry) is as
// temporary as a full disk or a held lock: the notice is tried again later.
bool notice_failure_is_temporary(ErrorCode code) {
    return code == ErrorCode::DiskFull || code == ErrorCode::Locked || code == ErrorCode::Io ||
           code == ErrorCode::Stale;
}
} // namespace

SendMail::Done SendMail::bounce(MessageHeader h, const std::string& error, bool immediate, int sock) {
    std::string sk = sock_text(sock);
    h.netattr = uint16_t(h.netattr & ~netattr::INTRANSIT);   // FMT-121/122: always cleared
    h.delivery_attempts = uint16_t(h.delivery_attempts + 1);
    if (Status st = d_.store.update_header(h); !st) {
        log(LogLevel::Error, "!BOUNCE ERROR (" + st.error().message +
                                 ") incrementing delivery attempt counter of message #" + std::to_string(h.number));
        return Done::Failed;
    }
    log(LogLevel::Notice, sk + " SEND !Delivery attempt #" + std::to_string(h.delivery_attempts) + " FAILED (" + error +
                              ") for message #" + std::to_string(h.number) + " from " + h.get(hf::SENDER) + " to " +
                              h.get(hf::RECIPIENTNETADDR));
    if (!immediate && h.delivery_attempts < s_.max_delivery_attempts) {   // SEND-90, with back-off
        retry_->failed(h.number, h.delivery_attempts, period_, error);
        return Done::Failed;
    }
    if (wants_notice(h)) {   // SEND-92
        std::string to = notice_recipient(h);
        log(LogLevel::Notice, sk + " SEND !Bouncing message back to " + to);
        BounceContext ctx{s_.helo_host, s_.delete_read_mail, time(nullptr)};
        auto added = d_.store.add_sharing_data(h.number, make_notice(h, error, ctx));
        if (!added) {
            log(LogLevel::Error, "!BOUNCE ERROR (" + added.error().message + ") adding message header");
            // Ours: a full disk, a lock or an I/O error can clear, so the
            // original waits for its notice (tried again later) instead of
            // losing both. A notice that can never be stored (too large, a
            // corrupt or invalid base) would otherwise be re-sent to the
            // remote on every retry forever: as the original, the message is
            // deleted with the error logged.
            if (notice_failure_is_temporary(added.error().code)) {
                retry_->failed(h.number, h.delivery_attempts, period_, error);
                return Done::Failed;
            }
        } else {
            log(LogLevel::Notice, sk + " SEND !Delivery failure notification (message #" + std::to_string(*added) +
                                      ") created for " + to);
        }
    } else {
        log(LogLevel::Notice, sk + " SEND !Deleted undeliverable message from " + h.get(hf::SENDER));
    }
    retry_->finished(h.number, false);
    h.attr |= attr::DELETE;   // SEND-91
    if (Status st = d_.store.update_header(h); !st)
        log(LogLevel::Error, "!BOUNCE ERROR (" + st.error().message + ") deleting message");
    remove_attachments(h);
    return Done::Bounced;
}

} // namespace sbbs
