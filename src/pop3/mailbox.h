// The mailbox of one POP3 session: the user's mail snapshotted at login, with
// exact sizes and the deletions waiting for QUIT (RFC 1939; pop3.md section 7).
#pragma once

#include "mailfmt/render.h"
#include "msgbase/mail_store.h"
#include "pop3/retr_text.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sbbs::pop3 {

// What a full RETR sends, kept from the login's size computation so that RETR
// need not read and render the message a second time. Only for mail without
// file attachments (those are read from disk and may go away meanwhile).
struct CachedRetr {
    RetrText text;
    std::string sender;        // for the log lines (POP3-80)
    size_t text_bytes = 0;     // RenderedMessage::text_bytes (POP3-79)
};

struct MailboxEntry {
    uint32_t number = 0;       // SMB message number (the UIDL)
    uint16_t attr = 0;         // index attributes at login
    size_t size = 0;           // octets RETR sends for it
    bool deleted = false;      // DELE given in this session
    bool read_pending = false; // retrieved: MSG_READ is set at the end of the session
    std::shared_ptr<const CachedRetr> cached;   // null: read and render at RETR
};

class Mailbox {
public:
    // POP3-49..51: not deleted, index order, number 0 skipped, SPAM left out
    // with `no_spam`. Each message is read once to learn its exact size
    // (the size of what RETR sends needs the text); up to `cache_budget`
    // bytes of the rendered messages are kept for RETR.
    static Result<Mailbox> load(MailStore& store, uint32_t user, bool no_spam, const RenderContext& ctx,
                                size_t cache_budget = 0);

    size_t count() const { return entries_.size(); }
    // Messages and octets not marked deleted (RFC 1939 STAT).
    size_t live_count() const;
    uint64_t live_bytes() const;
    // 1-based POP3 number -> entry, or nullptr when out of range.
    MailboxEntry* at(uint64_t n) { return n >= 1 && n <= entries_.size() ? &entries_[n - 1] : nullptr; }
    std::vector<MailboxEntry>& entries() { return entries_; }

private:
    std::vector<MailboxEntry> entries_;
};

} // namespace sbbs::pop3
