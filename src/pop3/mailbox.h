// The mailbox of one POP3 session: the user's mail snapshotted from the
// index at login, exact sizes measured when first asked for, and the
// deletions waiting for QUIT (RFC 1939; pop3.md section 7; issue #13 item 1).
#pragma once

#include "mailfmt/render.h"
#include "msgbase/mail_store.h"
#include "pop3/retr_text.h"
#include "pop3/size_memo.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::pop3 {

// What a full RETR sends, kept from measuring the size so that RETR need not
// read and render the message a second time. Only for mail without file
// attachments (those are read from disk and may go away meanwhile).
struct CachedRetr {
    RetrText text;
    std::string sender;        // for the log lines (POP3-80)
    size_t text_bytes = 0;     // RenderedMessage::text_bytes (POP3-79)
};

struct MailboxEntry {
    uint32_t number = 0;       // SMB message number (the UIDL)
    uint16_t attr = 0;         // index attributes at login
    std::optional<size_t> size;   // octets RETR sends for it, once measured
    bool deleted = false;      // DELE given in this session
    bool read_pending = false; // retrieved: MSG_READ is set at the end of the session
    bool vanished = false;     // removed from the base before it was measured (size 0)
    std::shared_ptr<const CachedRetr> cached;   // null: read and render at RETR
};

// Where measuring failed: the message and the store's error (its code tells
// a busy base, ErrorCode::Locked, from a broken message).
struct MeasureError {
    uint32_t number = 0;
    Error error;
};

class Mailbox {
public:
    // Messages measured per read_many and the text one batch may hold: a
    // batch's lock hold, and so what a writer may wait for, stays short.
    static constexpr size_t BATCH_MESSAGES = 64;
    static constexpr size_t BATCH_TEXT_BYTES = size_t(1) << 20;
    // Headers read per hold when checking remembered sizes: no text, about
    // 20 us each, so a hold stays near one group commit's length.
    static constexpr size_t BATCH_HEADERS = 1024;

    // POP3-49..51 from one index snapshot: not deleted, index order, number
    // 0 skipped, SPAM left out with `no_spam`. No header or text is read.
    static Result<Mailbox> load(MailStore& store, uint32_t user, bool no_spam);

    // Measures the exact size of every entry in [first, end) not measured
    // yet, BATCH_MESSAGES at a time; up to `cache_budget` bytes of rendered
    // text (over the session) are kept for RETR.
    std::optional<MeasureError> measure(MailStore& store, const RenderContext& ctx, size_t first, size_t end);
    std::optional<MeasureError> measure_all(MailStore& store, const RenderContext& ctx) {
        return measure(store, ctx, 0, entries_.size());
    }
    void set_cache_budget(size_t bytes) { cache_budget_ = bytes; }
    // Sizes remembered across sessions; measure() looks there first (by
    // header, BATCH_HEADERS per hold) and remembers what it renders.
    void set_size_memo(SizeMemo* memo) { memo_ = memo; }
    // A message rendered for RETR before it was measured: its size is known now.
    static void learn_size(MailboxEntry& e, size_t octets) { if (!e.size) e.size = octets; }

    size_t count() const { return entries_.size(); }
    // Messages and octets not marked deleted (RFC 1939 STAT); live_bytes
    // only once every live entry is measured.
    size_t live_count() const;
    std::optional<uint64_t> live_bytes() const;
    // 1-based POP3 number -> entry, or nullptr when out of range.
    MailboxEntry* at(uint64_t n) { return n >= 1 && n <= entries_.size() ? &entries_[n - 1] : nullptr; }
    std::vector<MailboxEntry>& entries() { return entries_; }

private:
    void measure_rendered(MailboxEntry& e, const RenderedMessage& head, std::string_view text,
                          const smb::Message& msg, bool exact_text);
    std::optional<MeasureError> recall(MailStore& store, const RenderContext& ctx, size_t first, size_t end);
    std::optional<MeasureError> render_batches(MailStore& store, const RenderContext& ctx, size_t first, size_t end);

    std::vector<MailboxEntry> entries_;
    size_t cache_budget_ = 0;
    size_t cached_bytes_ = 0;
    SizeMemo* memo_ = nullptr;
};

} // namespace sbbs::pop3
