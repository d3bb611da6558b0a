// The SendMail queue pass and per-message bookkeeping (see sendmail.h).
#include "sendmail/sendmail.h"

#include "config/options.h"
#include "sendmail/attachments.h"
#include "sendmail/auto_exempt.h"
#include "dsn/notice.h"
#include "sendmail/data_text.h"
#include "sendmail/delivery_pool.h"
#include "sendmail/envelope.h"
#include "util/mail_metrics.h"
#include "sendmail/relayed_dsn.h"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <thread>

namespace sbbs {

using namespace smb;

// The original's 4-digit socket label of a log line ("0042 SEND ...").
std::string SendMail::sock_text(int sock) {
    char b[16];
    std::snprintf(b, sizeof b, "%04d", sock);
    return b;
}

namespace {
std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(uint8_t(c)));
    return s;
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
    std::lock_guard lk(stats_mu_);
    switch (d) {
    case Done::Sent: ++st.sent; metrics::count(metrics::mail_metrics().delivered); break;   // issue #17
    case Done::Failed: ++st.failed; break;
    case Done::Bounced: ++st.bounced; metrics::count(metrics::mail_metrics().bounced); break;
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
    {
        std::lock_guard lk(routes_mu_);
        routes_.clear();   // a route is looked up at most once per scan: TTLs outlive a scan's minutes at most
    }
    // In-transit messages are listed too, to say why they are skipped (SEND-18).
    auto queue = d_.store.queued_outbound(true);
    if (!queue) {
        log(LogLevel::Error, "0000 !SEND ERROR (" + queue.error().message + ") getting message index");
        return st;
    }
    st.candidates = unsigned(queue->size());
    metrics::mail_metrics().queue_length.store(int64_t(queue->size()), std::memory_order_relaxed);   // issue #17
    size_t round = s_.claim_round ? s_.claim_round : 1;
    OutboundQueues queues({s_.per_destination_workers ? s_.per_destination_workers : 1, round, round,
                           std::chrono::milliseconds(s_.session_linger_ms)});
    {
        // Issue #14: the workers deliver while this thread goes on claiming,
        // and then commits their sent marks every 50 ms until they are done.
        unsigned n = s_.delivery_workers ? s_.delivery_workers : 1;
        if (queue->size() < n) n = unsigned(queue->size());   // no idle threads for a short queue
        std::mutex done_mu;
        std::condition_variable done_cv;
        unsigned running = n;
        std::vector<std::jthread> workers;
        workers.reserve(n);
        for (unsigned i = 0; i < n; ++i)
            workers.emplace_back([&] {
                work(queues, queue->size(), st);
                std::lock_guard lk(done_mu);
                if (--running == 0) done_cv.notify_all();
            });
        feed(*queue, queues, st);
        std::unique_lock lk(done_mu);
        while (!done_cv.wait_for(lk, std::chrono::milliseconds(50), [&] { return running == 0; })) {
            lk.unlock();
            sync_marks();
            lk.lock();
        }
    }   // joins
    for (ClaimedMessage& c : queues.drain()) {   // stopped: never taken, left queued unsent (SEND-9, SEND-21)
        clear_intransit(c.hdr.number);
        tally(st, Done::Skipped);
    }
    sync_marks();
    // issue #17: what this scan left queued (retries and skipped ones).
    metrics::mail_metrics().queue_length.store(int64_t(st.candidates) - st.sent - st.bounced, std::memory_order_relaxed);
    return st;
}

// Claimed a round at a time, so a long queue is neither held in memory at
// once nor all marked in transit before the first message leaves; at most a
// round waits unclaimed by a worker before the next round is claimed.
void SendMail::feed(const std::vector<uint32_t>& queue, OutboundQueues& queues, ScanStats& st) {
    size_t round_size = s_.claim_round ? s_.claim_round : 1;
    for (size_t i = 0; i < queue.size();) {
        while (!queues.wait_for_room(std::chrono::milliseconds(50))) {
            if (must_end()) break;
            sync_marks();   // group commit of the sent marks while the workers are busy
        }
        std::vector<Candidate> round;
        bool ended = false;
        for (; i < queue.size() && round.size() < round_size; ++i) {
            if (must_end()) {                                                    // SEND-9, SEND-21
                ended = true;
                break;
            }
            if (auto h = eligible(queue[i])) round.push_back({std::move(*h), i + 1});
            else tally(st, Done::Skipped);
        }
        if (ended) break;            // a round cut short by a stop is not claimed: it stays queued
        hand_over(claim(std::move(round), st), queues);
        if (must_end()) break;
    }
    if (must_end()) queues.stop();
    queues.close();
}

// Each claimed message to the queue of its route (the same servers in the same
// order: one queue, so their recipients may share a transaction), the queues
// in the order of their first message. The routes of a round's new domains
// are looked up at once, in parallel (issue #14); "" = an invalid address,
// which the worker bounces.
void SendMail::hand_over(std::vector<Candidate> claimed, OutboundQueues& queues) {
    std::vector<std::string> domains;
    domains.reserve(claimed.size());
    for (const Candidate& c : claimed) domains.push_back(envelope::destination_domain(c.hdr.get(hf::RECIPIENTNETADDR)));
    std::vector<std::string> fresh;
    {
        std::lock_guard lk(routes_mu_);
        for (const std::string& d : domains)
            if (!d.empty() && !routes_.count(lower(d)) && std::find(fresh.begin(), fresh.end(), d) == fresh.end())
                fresh.push_back(d);
    }
    // Kept for this round: a failed look-up is not cached for the scan, and
    // is not asked again here for each message (the worker asks once more).
    std::vector<Route> looked(fresh.size());
    run_bounded(fresh.size(), s_.delivery_workers, [&](size_t i) { looked[i] = route_for(fresh[i]); });
    auto key_of = [&](const std::string& d, TlsRequest tls) {
        if (d.empty()) return std::string();
        auto f = std::find(fresh.begin(), fresh.end(), d);
        Route r = f != fresh.end() ? looked[size_t(f - fresh.begin())] : route_for(d);
        // A temporary failure has no hosts: its own queue per domain, not one
        // shared by every domain that failed (review 2, finding 1).
        if (r.hosts.empty() && !r.permanent) return session_key("?" + lower(d), tls);
        return session_key(route_key(r), tls);   // RFC 8689: REQUIRETLS mail gets sessions of its own
    };
    std::vector<std::pair<std::string, std::vector<ClaimedMessage>>> by_route;
    for (size_t i = 0; i < claimed.size(); ++i) {
        std::string key = key_of(domains[i], tls_request(claimed[i].hdr));
        auto it = std::find_if(by_route.begin(), by_route.end(), [&](auto& e) { return e.first == key; });
        if (it == by_route.end()) it = by_route.insert(by_route.end(), {key, {}});
        it->second.push_back(std::move(claimed[i]));
    }
    for (auto& [key, messages] : by_route) queues.add(key, std::move(messages));
}

// Ours (issue #14): marks written without their own fsync are made durable
// together; a kill of this process loses none of them (the page cache keeps
// them), only a power loss in between could.
void SendMail::sync_marks() {
    if (!marks_unsynced_.exchange(false)) return;
    if (Status st = d_.store.sync_updates(); !st) {
        marks_unsynced_ = true;
        log(LogLevel::Error, "0000 !SEND ERROR (" + st.error().message + ") syncing delivery marks");
    }
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

namespace {
// Whether the bounce() of a failure before any session builds a notice, the
// only use of the message text there: the delay notice after the second
// attempt (NOTIFY=DELAY) or the final failure notice. A temporary route
// failure comes back at every scan; rendering a large message each time to
// drop it cost a full copy (review finding 11). The count is the one
// bounce() makes: this attempt's, on the header read in transit.
bool failure_notice_due(const MessageHeader& h, bool immediate, unsigned max_attempts) {
    if (!dsn::wants_notice(h)) return false;
    const unsigned attempt = h.delivery_attempts + 1u;
    const dsn::Action a = !immediate && attempt < max_attempts ? dsn::Action::Delayed : dsn::Action::Failed;
    if (a == dsn::Action::Delayed && attempt != 2) return false;
    return dsn::notify_asks(dsn::recipient_params(h), a);
}
} // namespace

std::optional<SendMail::Done> SendMail::prepare(const Candidate& c, size_t count, std::vector<OutboundJob>& jobs) {
    const MessageHeader& h = c.hdr;
    const uint32_t number = h.number;
    log(LogLevel::Info, "0000 SEND Message #" + std::to_string(number) + " (" + std::to_string(c.index) + " of " +
                            std::to_string(count) + ") from " + envelope::sender_info(h) + " to " +
                            envelope::recipient_info(h));
    auto full = d_.store.read(number, true);
    if (!full) {   // SEND-22: no attempt counted
        clear_intransit(number);
        log(LogLevel::Error, "0000 !SEND ERROR (" + full.error().message + ") retrieving message text");
        return Done::Skipped;
    }
    full->hdr.netattr |= netattr::INTRANSIT;
    std::string netaddr = h.get(hf::RECIPIENTNETADDR);
    std::string domain = envelope::destination_domain(netaddr);
    if (domain.empty()) {   // SEND-26
        log(LogLevel::Warning, "0000 !SEND INVALID destination address: " + netaddr);
        SessionOutcome o{SessionResult::PermFail, "Invalid destination address: " + netaddr};
        o.status = "5.1.3";   // RFC 3463: bad destination mailbox address syntax
        std::string text = failure_notice_due(full->hdr, true, s_.max_delivery_attempts) ? crlf_lines(d_.render(*full)) : "";
        std::lock_guard lk(book_mu_);
        return bounce(full->hdr, o, true, 0, text);
    }
    Route route = route_for(domain);
    if (route.hosts.empty()) {
        log(LogLevel::Warning, "0000 !SEND " + route.log_text);
        SessionOutcome o{route.permanent ? SessionResult::PermFail : SessionResult::TempFail, route.error};
        o.status = route.permanent ? "5.1.2" : "4.4.3";   // RFC 3463: bad destination system; routing failure
        std::string text = failure_notice_due(full->hdr, route.permanent, s_.max_delivery_attempts)
                               ? crlf_lines(d_.render(*full)) : "";
        std::lock_guard lk(book_mu_);
        return bounce(full->hdr, o, route.permanent, 0, text);
    }
    OutboundJob job;
    job.from = envelope::sender(full->hdr, s_.inet_addr);
    job.to = envelope::recipient(full->hdr);
    relayed_dsn_params(full->hdr, job);
    job.text = crlf_lines(d_.render(*full));   // SEC-2: signed (DKIM) as it is sent
    job.msg = std::move(*full);
    job.msg.body.clear();           // only the rendered text is sent: do not hold it twice
    job.msg.body.shrink_to_fit();
    job.msg.tail.clear();
    job.msg.tail.shrink_to_fit();
    job.route = std::move(route);
    job.tls = tls_request(job.msg.hdr);
    jobs.push_back(std::move(job));
    return std::nullopt;
}

// Issue #14: looked up once per domain and scan (the original
// asks for every message; a scan lasts seconds to minutes, within any sane TTL).
// A temporary failure (SEND-37: no hosts, not permanent) is not kept: one
// time-out would otherwise fail, and count an attempt for, every message to
// that domain for the rest of the scan (issue #14 review, finding 3).
Route SendMail::route_for(const std::string& domain) {
    std::string key = lower(domain);
    {
        std::lock_guard lk(routes_mu_);
        if (auto it = routes_.find(key); it != routes_.end()) return it->second;
    }
    Route r = choose_route(domain, s_, d_.dns, d_.dns_server_text);
    if (r.hosts.empty() && !r.permanent) return r;
    std::lock_guard lk(routes_mu_);
    return routes_.emplace(key, std::move(r)).first->second;
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

Status SendMail::rewrite(uint32_t number, const std::function<bool(MessageHeader&)>& change, bool durable) {
    std::vector<bool> written;
    Status st = d_.store.update_headers_if({number}, [&](size_t, MessageHeader& h) { return change(h); }, durable,
                                           written);
    if (st && !durable && !written.empty() && written[0]) marks_unsynced_ = true;
    return st;
}

// Only the bit is cleared, on the header as it is now (issue #14 review).
void SendMail::clear_intransit(uint32_t number) {
    auto clear = [](MessageHeader& h) {
        if (!(h.netattr & netattr::INTRANSIT)) return false;
        h.netattr = uint16_t(h.netattr & ~netattr::INTRANSIT);
        return true;
    };
    if (Status st = rewrite(number, clear, true); !st)
        log(LogLevel::Error, "0000 !SEND ERROR (" + st.error().message + ") clearing in-transit of message #" +
                                 std::to_string(number));
}

// Stopping, or the BBS's maintenance lock on the mail base: claimed mail is
// released unsent, as no message may be sent or booked while it is locked.
bool SendMail::must_end() const {
    return stop_ || (!s_.mail_lock_path.empty() && std::filesystem::exists(s_.mail_lock_path));
}

// One recipient's result, booked under the lock: the workers share the base,
// the schedule and the exemption file.
void SendMail::settle(OutboundJob& job, const SessionOutcome& o, int sock, ScanStats& st) {
    // SEC-5: a failure while stopping is most likely the stop itself (it
    // cuts every wait short): the message goes back unsent, no attempt counted.
    if (stop_ && o.result != SessionResult::Sent) return release(job, st);
    std::lock_guard lk(book_mu_);
    Done d = o.result == SessionResult::Sent
                 ? succeed(job.msg, sock, o, job.to, job.text)
                 : bounce(job.msg.hdr, o, o.result == SessionResult::PermFail, sock, job.text);
    tally(st, d);
}

// Not tried because the server is stopping: left queued, no attempt counted.
void SendMail::release(OutboundJob& job, ScanStats& st) {
    std::lock_guard lk(book_mu_);
    clear_intransit(job.msg.hdr.number);
    tally(st, Done::Skipped);
}

void SendMail::remove_attachments(const MessageHeader& h) {
    if (!(h.auxattr & auxattr::FILEATTACH) || s_.data_dir.empty()) return;
    int err = 0;
    if (!delete_attachments(s_.data_dir, h, err))
        log(LogLevel::Error, "!ERROR " + std::to_string(err) + " deleting attachment: " + h.get(hf::SUBJECT));
}

// Issue #14: the sent mark is written at once but not fsynced on its own:
// sync_marks() makes the marks of the last moments durable together. A kill
// loses none (the page cache keeps them); see tests/SPEC-COVERAGE.md.
SendMail::Done SendMail::succeed(Message& msg, int sock, const SessionOutcome& o, const std::string& rcpt,
                                 std::string_view text) {
    const MessageHeader& sent = msg.hdr;
    log(LogLevel::Info, sock_text(sock) + " SEND Successfully sent message #" + std::to_string(sent.number) + " (" +
                            std::to_string(o.bytes) + " bytes, " + std::to_string(o.lines) + " lines) from " +
                            envelope::sender_info(sent) + " to '" + sent.get(hf::RECIPIENT) + "' " + rcpt);
    MessageHeader h = sent;
    auto mark = [&](MessageHeader& now) {   // changes made meanwhile are kept (SEND-102)
        now.netattr = uint16_t((now.netattr | netattr::SENT) & ~netattr::INTRANSIT);
        if ((now.netattr & netattr::KILLSENT) || !envelope::has_sender_ext(now)) now.attr |= attr::DELETE;   // SEND-81
        h = now;
        return true;
    };
    if (Status st = rewrite(sent.number, mark, false); !st)
        log(LogLevel::Error, "!ERROR (" + st.error().message + ") deleting message #" + std::to_string(sent.number));
    retry_->finished(sent.number, true);
    report_relay(sent, text, o, sock);   // RFC 3461 6.2.1 (c): only when the next hop will not report
    remove_attachments(h);   // SEND-82; ours: KILLFILE waits for the final 250 too (SEND-70)
    if (envelope::sender_agent(h) == agent::PERSON && !s_.has(mail_opt::NO_AUTO_EXEMPT) && !s_.ctrl_dir.empty())
        auto_exempt(s_.ctrl_dir + "dnsbl_exempt.cfg", rcpt, envelope::sender_info(h), d_.users, d_.log, time(nullptr),
                    &exempt_cache_);
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

SendMail::Done SendMail::bounce(MessageHeader h, const SessionOutcome& o, bool immediate, int sock,
                                std::string_view text) {
    const std::string& error = o.error;
    std::string sk = sock_text(sock);
    h.netattr = uint16_t(h.netattr & ~netattr::INTRANSIT);   // FMT-121/122: always cleared
    h.delivery_attempts = uint16_t(h.delivery_attempts + 1);
    auto count = [&](MessageHeader& now) {   // on the header as it is now (issue #14 review)
        now.netattr = uint16_t(now.netattr & ~netattr::INTRANSIT);
        now.delivery_attempts = uint16_t(now.delivery_attempts + 1);
        h.delivery_attempts = now.delivery_attempts;
        return true;
    };
    if (Status st = rewrite(h.number, count, true); !st) {
        log(LogLevel::Error, "!BOUNCE ERROR (" + st.error().message +
                                 ") incrementing delivery attempt counter of message #" + std::to_string(h.number));
        return Done::Failed;
    }
    log(LogLevel::Notice, sk + " SEND !Delivery attempt #" + std::to_string(h.delivery_attempts) + " FAILED (" + error +
                              ") for message #" + std::to_string(h.number) + " from " + h.get(hf::SENDER) + " to " +
                              h.get(hf::RECIPIENTNETADDR));
    if (!immediate && h.delivery_attempts < s_.max_delivery_attempts) {   // SEND-90, with back-off
        retry_->failed(h.number, h.delivery_attempts, period_, error);
        report_delay(h, text, o, sock);
        return Done::Failed;
    }
    // SEND-92; RFC 3461 4.1: none for NOTIFY=NEVER or a NOTIFY without FAILURE
    if (dsn::wants_notice(h) && dsn::notify_asks(dsn::recipient_params(h), dsn::Action::Failed)) {
        std::string to = dsn::notice_recipient(h);
        log(LogLevel::Notice, sk + " SEND !Bouncing message back to " + to);
        auto added = add_notice(h, text, o, dsn::Action::Failed, sock);
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
    auto del = [](MessageHeader& now) {
        now.attr |= attr::DELETE;
        return true;
    };
    if (Status st = rewrite(h.number, del, true); !st)
        log(LogLevel::Error, "!BOUNCE ERROR (" + st.error().message + ") deleting message");
    remove_attachments(h);
    return Done::Bounced;
}

} // namespace sbbs
