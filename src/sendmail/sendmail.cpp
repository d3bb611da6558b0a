// The SendMail queue pass and per-message bookkeeping (see sendmail.h).
#include "sendmail/sendmail.h"

#include "config/options.h"
#include "sendmail/attachments.h"
#include "sendmail/auto_exempt.h"
#include "sendmail/bounce.h"
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
bool is_loopback_or_any(const std::string& ip) { return ip.rfind("127.", 0) == 0 || ip == "0.0.0.0" || ip == "::1"; }
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

ScanStats SendMail::scan(bool periodic) {
    ScanStats st;
    if (periodic) ++period_;
    failed_servers_.clear();
    // In-transit messages are listed too, to say why they are skipped (SEND-18).
    auto queue = d_.store.queued_outbound(true);
    if (!queue) {
        log(LogLevel::Error, "0000 !SEND ERROR (" + queue.error().message + ") getting message index");
        return st;
    }
    st.candidates = unsigned(queue->size());
    for (size_t i = 0; i < queue->size(); ++i) {
        if (stop_) break;
        if (!s_.mail_lock_path.empty() && std::filesystem::exists(s_.mail_lock_path)) break;  // SEND-21
        switch (process((*queue)[i], i + 1, queue->size())) {
        case Done::Sent: ++st.sent; break;
        case Done::Failed: ++st.failed; break;
        case Done::Bounced: ++st.bounced; break;
        case Done::Skipped: ++st.skipped; break;
        }
    }
    return st;
}

SendMail::Done SendMail::process(uint32_t number, size_t index, size_t count) {
    auto r = d_.store.read(number, false);
    if (!r) {
        log(LogLevel::Error, "0000 !SEND ERROR (" + r.error().message + ") reading message header #" +
                                 std::to_string(number));
        return Done::Skipped;
    }
    MessageHeader& h = r->hdr;
    if ((h.attr & attr::DELETE) || (h.netattr & netattr::SENT) ||
        h.get_u16(hf::RECIPIENTNETTYPE).value_or(net::NONE) != net::INTERNET || h.get(hf::RECIPIENTNETADDR).empty())
        return Done::Skipped;   // SEND-16
    if ((h.netattr & netattr::INTRANSIT) && !s_.has(mail_opt::SEND_INTRANSIT) && !stale_intransit(h)) {
        log(LogLevel::Notice, "0000 SEND Message #" + std::to_string(number) + " from " + envelope::sender_info(h) +
                                  " to " + envelope::recipient_info(h) + " - in transit");
        return Done::Skipped;
    }
    if (!retry_->due(number, period_)) {
        log(LogLevel::Debug, "0000 SEND Message #" + std::to_string(number) + " waiting for its next retry");
        return Done::Skipped;
    }
    h.netattr |= netattr::INTRANSIT;   // claim it before any network activity (SEND-19)
    retry_->started(number);           // recorded first: a crash after the claim is then ours to redo
    if (Status st = d_.store.update_header(h); !st) {
        log(LogLevel::Error, "0000 !SEND ERROR (" + st.error().message + ") marking message #" +
                                 std::to_string(number) + " in transit");
        return Done::Skipped;
    }
    log(LogLevel::Info, "0000 SEND Message #" + std::to_string(number) + " (" + std::to_string(index) + " of " +
                            std::to_string(count) + ") from " + envelope::sender_info(h) + " to " +
                            envelope::recipient_info(h));
    auto full = d_.store.read(number, true);
    if (!full) {   // SEND-22: no attempt counted
        clear_intransit(h);
        log(LogLevel::Error, "0000 !SEND ERROR (" + full.error().message + ") retrieving message text");
        return Done::Skipped;
    }
    full->hdr.netattr |= netattr::INTRANSIT;
    return deliver(*full);
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

SendMail::Done SendMail::deliver(Message& msg) {
    MessageHeader& h = msg.hdr;
    std::string netaddr = h.get(hf::RECIPIENTNETADDR);
    std::string domain = envelope::destination_domain(netaddr);
    if (domain.empty()) {   // SEND-26
        log(LogLevel::Warning, "0000 !SEND INVALID destination address: " + netaddr);
        return bounce(h, "Invalid destination address: " + netaddr, true, 0);
    }
    Route route = choose_route(domain, s_, d_.dns, d_.dns_server_text);
    if (route.hosts.empty()) {
        log(LogLevel::Warning, "0000 !SEND " + route.log_text);
        return bounce(h, route.error, route.permanent, 0);
    }
    SmtpTransaction tx;
    tx.from = envelope::sender(h, s_.inet_addr);
    tx.to = envelope::recipient(h);
    tx.text = d_.render(msg);
    if (d_.dkim) {   // SEND-72: every message, one d= domain
        if (auto sig = d_.dkim->sign(tx.text, time(nullptr))) tx.text = *sig + tx.text;
        else log(LogLevel::Warning, "0000 SEND !DKIM signing failed - sending unsigned");
    }
    tx.auth = route.kind == RouteKind::Relay && s_.relay_auth_methods() > 0;
    std::string last_error;
    const std::string& first = route.hosts.front().name;
    for (size_t i = 0; i < route.hosts.size() && !stop_; ++i) {
        if (i > 0) log(LogLevel::Debug, "0000 SEND reverting to next MX: " + route.hosts[i].name);
        HostTry t = try_host(route.hosts[i], route.kind, tx, first, last_error);
        if (!t.session) continue;   // not reached: try the next host (SEND-45)
        if (t.outcome.result == SessionResult::Sent) return succeed(msg, t, tx.to);
        return bounce(h, t.outcome.error, t.outcome.result == SessionResult::PermFail, t.sock);
    }
    if (stop_ && last_error.empty()) {   // shutdown before any host was tried: no attempt
        clear_intransit(h);
        return Done::Skipped;
    }
    return bounce(h, last_error, false, 0);   // SEND-46
}

SendMail::HostTry SendMail::try_host(const Destination& d, RouteKind kind, const SmtpTransaction& tx,
                                     const std::string& first_name, std::string& last_error) {
    log(LogLevel::Debug, "0000 SEND resolving SMTP hostname: '" + d.name + "'");
    std::string ip = resolve_host(d.name, d_.dns, kind != RouteKind::Mx);
    if (ip.empty()) {
        log(LogLevel::Warning, "0000 !Failure resolving hostname: '" + d.name + "'");
        last_error = "Error resolving hostname '" + d.name + "'";
        return {};
    }
    if (kind == RouteKind::Mx && !s_.allow_loopback_mx && is_loopback_or_any(ip)) {   // SEND-41
        log(LogLevel::Info, "0000 SEND Bad IP address (" + ip + ") for MX server: " + d.name);
        last_error = "Bad IP address (" + ip + ") for MX server: " + d.name;
        return {};
    }
    std::string key = ip + ":" + std::to_string(d.port);
    if (auto f = failed_servers_.find(key); f != failed_servers_.end()) {   // SEND-42
        last_error = "Error " + std::to_string(f->second) + " connecting to port " + std::to_string(d.port) +
                     " on " + d.name + " [" + ip + "]";
        log(LogLevel::Info, "0000 SEND skipping failed SMTP server: " + last_error);
        return {};
    }
    HostTry t = run_session(d, ip, tx, first_name, last_error);
    if (t.outcome.result == SessionResult::TlsFailed) {
        // SEND-52: start over once in plain text; TLS trouble alone never bounces.
        SmtpTransaction plain = tx;
        plain.try_tls = false;
        t = run_session(d, ip, plain, first_name, last_error);
        if (t.outcome.result == SessionResult::TlsFailed) t.session = false;
    }
    return t;
}

SendMail::HostTry SendMail::run_session(const Destination& d, const std::string& ip, const SmtpTransaction& tx,
                                        const std::string& first_name, std::string& last_error) {
    HostTry t;
    log(LogLevel::Info, "0000 SEND connecting to port " + std::to_string(d.port) + " on " + d.name + " [" + ip + "]");
    Connected c = d_.connector.connect({ip, d.port, s_.connect_timeout_s, s_.outbound_interface});
    if (!c.link) {
        log(LogLevel::Info, "0000 SEND !ERROR " + std::to_string(c.error) + " connecting to SMTP server: " + d.name);
        failed_servers_[ip + ":" + std::to_string(d.port)] = c.error;
        last_error = "Error " + std::to_string(c.error) + " connecting to port " + std::to_string(d.port) + " on " +
                     d.name + " [" + ip + "]";
        return t;
    }
    t.sock = c.link->socket_number();
    log(LogLevel::Debug, sock_text(t.sock) + " SEND connected to " + d.name);
    SmtpSession session(*c.link, s_, d_.log, first_name);
    if (!session.greet(last_error)) return t;   // SEND-44: counts as a host failure
    t.session = true;
    t.outcome = session.deliver(tx);
    if (t.outcome.result == SessionResult::Sent) session.quit();
    return t;
}

void SendMail::remove_attachments(const MessageHeader& h) {
    if (!(h.auxattr & auxattr::FILEATTACH) || s_.data_dir.empty()) return;
    int err = 0;
    if (!delete_attachments(s_.data_dir, h, err))
        log(LogLevel::Error, "!ERROR " + std::to_string(err) + " deleting attachment: " + h.get(hf::SUBJECT));
}

SendMail::Done SendMail::succeed(Message& msg, const HostTry& t, const std::string& rcpt) {
    MessageHeader h = msg.hdr;
    if (auto fresh = d_.store.read(h.number, false)) h = fresh->hdr;   // keep changes made meanwhile
    log(LogLevel::Info, sock_text(t.sock) + " SEND Successfully sent message #" + std::to_string(h.number) + " (" +
                            std::to_string(t.outcome.bytes) + " bytes, " + std::to_string(t.outcome.lines) +
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
    retry_->finished(h.number, false);
    h.attr |= attr::DELETE;   // SEND-91
    if (Status st = d_.store.update_header(h); !st)
        log(LogLevel::Error, "!BOUNCE ERROR (" + st.error().message + ") deleting message");
    remove_attachments(h);
    if (!wants_notice(h)) {   // SEND-92
        log(LogLevel::Notice, sk + " SEND !Deleted undeliverable message from " + h.get(hf::SENDER));
        return Done::Bounced;
    }
    std::string to = notice_recipient(h);
    log(LogLevel::Notice, sk + " SEND !Bouncing message back to " + to);
    BounceContext ctx{s_.helo_host, s_.delete_read_mail, time(nullptr)};
    auto added = d_.store.add_sharing_data(h.number, make_notice(h, error, ctx));
    if (!added) {
        log(LogLevel::Error, "!BOUNCE ERROR (" + added.error().message + ") adding message header");
        return Done::Bounced;
    }
    log(LogLevel::Notice, sk + " SEND !Delivery failure notification (message #" + std::to_string(*added) +
                              ") created for " + to);
    return Done::Bounced;
}

} // namespace sbbs
