// SendMail's delivery status notices (RFC 3461 6, RFC 3464): the failure
// notice (SEND-93, now a multipart/report), the one delay notice and the
// relay notice, each stored in the mail base for the original's sender.
#include "sendmail/sendmail.h"

#include "dsn/notice.h"
#include "msgbase/mail_store.h"
#include "sendmail/envelope.h"

namespace sbbs {

using namespace smb;

namespace {
std::string unbracketed(std::string s) {
    if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
    return s;
}
} // namespace

Result<uint32_t> SendMail::add_notice(const MessageHeader& original, std::string_view text, const SessionOutcome& o,
                                      dsn::Action action, int /*sock*/) {
    dsn::NoticeFacts f;
    f.action = action;
    f.final_recipient = unbracketed(envelope::recipient(original));
    f.reason = o.error;
    f.reply = o.reply;
    f.remote = o.remote;
    f.permanent = o.result == SessionResult::PermFail;
    f.status = o.status;
    if (action == dsn::Action::Delayed) f.retry_until = retry_until(original.delivery_attempts);
    dsn::NoticeContext ctx{s_.helo_host, s_.delete_read_mail, time(nullptr)};
    dsn::Notice n = dsn::make_notice(original, text, f, ctx);
    NewMessage m{std::move(n.hdr), TextPieces(n.body), {}};
    auto added = d_.store.add_mail(m, {RecipientCopy{}});
    if (!added) return added.error();
    return added->front();
}

// RFC 3461 4.1: once, after the first retry also failed (the attempt counter
// in the header is durable, so "== 2" is true at one attempt only, across
// restarts; a kill between the counter and the notice loses the notice,
// never repeats it). Only for a NOTIFY that names DELAY.
void SendMail::report_delay(const MessageHeader& h, std::string_view text, const SessionOutcome& o, int sock) {
    if (h.delivery_attempts != 2 || !dsn::wants_notice(h) ||
        !dsn::notify_asks(dsn::recipient_params(h), dsn::Action::Delayed))
        return;
    std::string to = dsn::notice_recipient(h);
    auto added = add_notice(h, text, o, dsn::Action::Delayed, sock);
    if (!added)
        log(LogLevel::Error, "!DSN ERROR (" + added.error().message + ") adding delay notice for message #" +
                                 std::to_string(h.number));
    else
        log(LogLevel::Notice, sock_text(sock) + " SEND Delivery delay notification (message #" +
                                  std::to_string(*added) + ") created for " + to);
}

// RFC 3461 6.2.1 (c): NOTIFY=SUCCESS and a next hop that does not offer DSN:
// we report "relayed"; a hop that offers it got NOTIFY and reports itself.
void SendMail::report_relay(const MessageHeader& h, std::string_view text, const SessionOutcome& o, int sock) {
    if (o.peer_dsn || !dsn::wants_notice(h) || !dsn::notify_asks(dsn::recipient_params(h), dsn::Action::Relayed))
        return;
    std::string to = dsn::notice_recipient(h);
    auto added = add_notice(h, text, o, dsn::Action::Relayed, sock);
    if (!added)
        log(LogLevel::Error, "!DSN ERROR (" + added.error().message + ") adding relay notice for message #" +
                                 std::to_string(h.number));
    else
        log(LogLevel::Notice, sock_text(sock) + " SEND Delivery relayed notification (message #" +
                                  std::to_string(*added) + ") created for " + to);
}

// Will-Retry-Until (RFC 3464 2.3.9): the back-off of the attempts still to
// come, in periodic rescans, from now; an estimate (new-mail scans do not
// advance the clock, a stopped server does not retry).
time_t SendMail::retry_until(uint16_t attempts) const {
    uint64_t scans = 0;
    for (unsigned k = attempts; k < s_.max_delivery_attempts; ++k)
        scans += MemoryRetrySchedule::backoff(uint16_t(k), s_.max_backoff_scans);
    return time(nullptr) + time_t(scans * s_.rescan_frequency_s);
}

} // namespace sbbs
