// Opening a POP3 session's mailbox after login (pop3.md section 7): the
// maintenance and in-use checks, the index snapshot, and the replies for a
// base that is busy, locked or broken (POP3-47, POP3-54, POP3-55).
#include "pop3/pop3_session.h"

namespace sbbs {

bool Pop3Session::open_mailbox() {
    if (base_locked()) {
        log_client(LogLevel::Warning, "<" + user_->alias + "> !MAIL BASE LOCKED: " + cfg_->mail_base() + ".lock exists");
        reply("-ERR database locked, try again later");
        return false;
    }
    lock_ = pop3::MailboxLock::acquire(locks_, cfg_->paths.data, user_->number);
    if (!lock_) {                        // RFC 1939 8 / RFC 2449 8.1.2
        log_user(LogLevel::Notice, "!MAILBOX IN USE by another session");
        reply("-ERR [IN-USE] mailbox in use by another session, try again later");
        return false;
    }
    auto box = pop3::Mailbox::load(store_, user_->number, no_spam_);   // the index only (issue #13 item 1)
    if (!box) return mailbox_failed(box.error());
    mailbox_ = std::move(*box);
    mailbox_.set_cache_budget(retr_cache_budget_);
    mailbox_.set_size_memo(size_memo_);
    // A small mailbox is measured now (one batch), so its greeting carries
    // the exact octets as before; a large one is measured when a command
    // needs the sizes, and a client that only polls UIDL never pays for it.
    if (mailbox_.count() <= pop3::Mailbox::BATCH_MESSAGES)
        if (auto failed = mailbox_.measure_all(store_, render_context())) return measure_failed(*failed);
    log_user(LogLevel::Debug, "Loaded " + std::to_string(mailbox_.count()) + " messages");
    in_transaction_ = true;
    reply("+OK " + mailbox_summary());
    return true;
}

bool Pop3Session::measure_failed(const pop3::MeasureError& failed) {
    Error e = failed.error;
    e.message = "message #" + std::to_string(failed.number) + ": " + e.message;
    return mailbox_failed(e);
}

bool Pop3Session::mailbox_failed(const Error& e) {
    if (e.code == ErrorCode::Locked && !base_locked()) {
        // POP3-55 ours: the base header lock could not be had in time (a busy
        // writer). The original shows an empty mailbox; a client would then
        // believe there is no mail, so say so and let it come back (RFC 3206).
        log_user(LogLevel::Warning, "!ERROR " + e.message + " (mailbox busy, try again later)");
        reply("-ERR [SYS/TEMP] mailbox busy, try again later");
    } else if (e.code == ErrorCode::Locked) {   // POP3-47: maintenance began while loading
        log_client(LogLevel::Warning, "<" + user_->alias + "> !MAIL BASE LOCKED: " + e.message);
        reply("-ERR database locked, try again later");
    } else {                                    // POP3-54
        log_user(LogLevel::Error, "!ERROR " + e.message);
        reply("-ERR " + e.message);
    }
    return false;
}

// "<n> messages (<octets> bytes)" (POP3-56, POP3-72); the octets only once
// every message is measured: a large mailbox's greeting and UIDL listing do
// not read every message just for this informational text (RFC 1939 leaves
// it free).
std::string Pop3Session::mailbox_summary() const {
    std::string s = std::to_string(mailbox_.live_count()) + " messages";
    if (auto bytes = mailbox_.live_bytes()) s += " (" + std::to_string(*bytes) + " bytes)";
    return s;
}

} // namespace sbbs
