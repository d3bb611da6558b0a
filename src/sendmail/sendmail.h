// SendMail: one pass over the mail base's outbound Internet queue, each
// message claimed, routed, sent over SMTP and then marked sent, retried
// later or bounced (SEND-15..46, SEND-80..99). Ours (issue item 6, issue
// #14): this thread claims the queue a round at a time and hands each
// claimed message to its destination's queue (OutboundQueues) while up to
// SendMailSettings::delivery_workers workers (at most per_destination_workers
// on one destination) read, render and send them, each keeping its session
// for its destination's next messages; a destination's messages with the
// same text share one transaction.
#pragma once

#include "dns/resolver.h"
#include "dsn/report.h"
#include "sendmail/auto_exempt.h"
#include "sendmail/dkim.h"
#include "sendmail/outbound_batch.h"
#include "sendmail/outbound_queues.h"
#include "log/logger.h"
#include "msgbase/mail_store.h"
#include "sendmail/retry_schedule.h"
#include "sendmail/route.h"
#include "sendmail/sendmail_settings.h"
#include "sendmail/smtp_link.h"
#include "sendmail/smtp_session.h"
#include "userbase/user_directory.h"

#include <atomic>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace sbbs {

// The stored message as RFC 822 text (render_rfc822 with the server's
// RenderContext in production): CRLF lines, not dot-stuffed.
using MessageRenderer = std::function<std::string(const smb::Message&)>;

struct SendMailDeps {
    MailStore& store;
    Resolver& dns;
    SmtpConnector& connector;
    MessageRenderer render;
    Logger& log;
    UserDirectory* users = nullptr;       // forwarding-address check (SEND-86)
    RetrySchedule* retry = nullptr;       // null = an in-memory schedule
    std::string dns_server_text = "system resolver";  // for log lines
    std::shared_ptr<const DkimSigner> dkim = nullptr;   // null = send unsigned (load_dkim)
};

struct ScanStats {
    unsigned candidates = 0, sent = 0, failed = 0, bounced = 0, skipped = 0;
};

// SEND-7/SEND-71: the DKIM key when DKIMSign is on, logging the outcome;
// null when signing is off or the key is unusable.
std::shared_ptr<const DkimSigner> load_dkim(const SendMailSettings& s, Logger& log);

class SendMail {
public:
    SendMail(SendMailSettings settings, SendMailDeps deps);

    // One pass (SEND-15..23). `periodic`: the RescanFrequency timer fired,
    // which advances the retry back-off clock; new-mail scans do not.
    ScanStats scan(bool periodic);
    // Ends the current scan before its next message (SEND-9) and cuts short
    // every network wait of the deliveries in progress (SEC-5).
    void request_stop() { stop_ = true; }
    bool stopping() const { return stop_; }
    bool must_end() const;
    const SendMailSettings& settings() const { return s_; }

private:
    enum class Done { Sent, Failed, Bounced, Skipped };
    // An open session with a server of the route (or why none could be had).
    struct LiveSession {
        std::unique_ptr<SmtpLink> link;
        std::unique_ptr<SmtpSession> session;   // null: the host was not reached
        SessionOutcome opened;                  // of SmtpSession::open
        int sock = 0;
    };

    // A worker's session, kept across the takes of one destination (issue #14).
    struct HeldSession {
        std::string key;
        LiveSession ls;                         // ls.session null: none open
        std::string route;                      // route_key of the route ls was opened for
        bool last_sent = false;                 // the last transaction ended in 250: QUIT on close (SEND-83)
        bool needs_reset = false;               // the last transaction failed: RSET before the next
        bool carried = false;                   // a transaction went over it (a peer may have closed it since)
    };
    using Candidate = ClaimedMessage;
    // SEND-16..18: message `number`'s header when it is to be claimed now.
    std::optional<smb::MessageHeader> eligible(uint32_t number);
    // SEND-19: marks a round in transit, durable, in one write (sendmail_claim.cpp).
    std::vector<Candidate> claim(std::vector<Candidate> round, ScanStats& st);
    // The claimer: rounds claimed and handed to the queues while the workers deliver.
    void feed(const std::vector<uint32_t>& queue, OutboundQueues& queues, ScanStats& st);
    void hand_over(std::vector<Candidate> claimed, OutboundQueues& queues);
    // Reads, routes and renders a claimed message into `jobs`, or says why not.
    std::optional<Done> prepare(const Candidate& c, size_t count, std::vector<OutboundJob>& jobs);
    Route route_for(const std::string& domain);
    bool stale_intransit(const smb::MessageHeader& h);
    void work(OutboundQueues& queues, size_t count, ScanStats& st);
    void deliver_take(const DestinationTake& take, size_t count, HeldSession& held, ScanStats& st);
    void deliver_group(const OutboundGroup& g, std::vector<OutboundJob>& jobs, HeldSession& held, ScanStats& st);
    void close_session(HeldSession& held);
    void sync_marks();
    SessionStart session_start(const Route& route, const Destination& host, bool auth, TlsRequest tls) const;
    LiveSession open_session(const Route& route, bool auth, TlsRequest tls, std::string& last_error);
    LiveSession try_host(const Destination& d, RouteKind kind, const SessionStart& how, const std::string& first_name,
                         std::string& last_error);
    LiveSession connect_host(const Destination& d, const std::string& ip, const SessionStart& how,
                             const std::string& first_name, std::string& last_error);
    void settle(OutboundJob& job, const SessionOutcome& o, int sock, ScanStats& st);
    void release(OutboundJob& job, ScanStats& st);
    Done succeed(smb::Message& msg, int sock, const SessionOutcome& o, const std::string& rcpt, std::string_view text);
    // `o`: why it failed; `text`: the original as sent, for the notice.
    Done bounce(smb::MessageHeader hdr, const SessionOutcome& o, bool immediate, int sock, std::string_view text);
    // A delivery status notice about `original` added to the base (sendmail_notice.cpp).
    Result<uint32_t> add_notice(const smb::MessageHeader& original, std::string_view text, const SessionOutcome& o,
                                dsn::Action action, int sock);
    void report_delay(const smb::MessageHeader& original, std::string_view text, const SessionOutcome& o, int sock);
    void report_relay(const smb::MessageHeader& original, std::string_view text, const SessionOutcome& o, int sock);
    time_t retry_until(uint16_t attempts) const;
    void clear_intransit(uint32_t number);
    // The fixed part of `number` changed from the header in the base now (a
    // change another process made meanwhile is kept); false: left as it is.
    Status rewrite(uint32_t number, const std::function<bool(smb::MessageHeader&)>& change, bool durable);
    void remove_attachments(const smb::MessageHeader& hdr);
    void log(LogLevel level, const std::string& text);
    static std::string sock_text(int sock);   // "0042": the socket label of a log line
    void tally(ScanStats& st, Done d);

    SendMailSettings s_;
    SendMailDeps d_;
    std::unique_ptr<RetrySchedule> own_retry_;
    RetrySchedule* retry_;
    std::atomic<bool> stop_{false};
    uint64_t period_ = 0;                       // periodic scans so far
    std::mutex book_mu_;                        // base, schedule, stats and exempt file updates
    std::mutex failed_mu_;
    std::map<std::string, int> failed_servers_; // "ip:port" -> error (SEND-42)
    std::map<uint32_t, uint64_t> foreign_intransit_;  // number -> period first seen
    std::mutex stats_mu_;
    std::mutex routes_mu_;
    std::map<std::string, Route> routes_;       // this scan's routes by domain (MX look-ups once per scan)
    std::atomic<bool> marks_unsynced_{false};   // sent marks written since the last fsync (group commit)
    ExemptCache exempt_cache_;                  // dnsbl_exempt.cfg as last read (under book_mu_)
};

} // namespace sbbs
