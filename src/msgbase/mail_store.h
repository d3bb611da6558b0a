// The mail store as the protocols see it (SMTP, POP3, SendMail): deliver,
// list, read, mark, queue. The real one is the SMB mail base plus the
// sub-board bases; tests may use an in-memory double (MemoryMailStore).
// Every mutating call is durable when it returns success (issue #4, item 5).
#pragma once

#include "msgbase/message.h"
#include "util/result.h"
#include "util/text_pieces.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sbbs {

// One stored copy of a message for one recipient (FMT-115): fields inserted
// before the common header fields (the SMTPRECEIVED line) and after them
// (RECIPIENT, SMTPFORWARDPATH, RECIPIENTEXT or RECIPIENTNETTYPE/NETADDR ...).
struct RecipientCopy {
    std::vector<smb::HeaderField> prepend;
    std::vector<smb::HeaderField> append;
};

// What a protocol hands to the store; number/offset/dfields are assigned by it.
// The body is lent, not copied (SEC-11): its holder keeps it until the store
// call returns, and the store writes it to disk straight from there.
struct NewMessage {
    smb::MessageHeader hdr;         // fixed part + common header fields
    TextPieces body;                // TEXT_BODY, CRLF lines
    std::string tail;               // TEXT_TAIL ("" = none)
};

struct MailSummary {                // an index entry, no body read (POP3 STAT/LIST)
    uint32_t number = 0;
    uint16_t attr = 0;
    uint32_t time = 0;
    uint16_t from_user = 0, to_user = 0;
};

class MailStore {
public:
    virtual ~MailStore() = default;

    // Store `msg` once per copy, sharing one data run (FMT-64). Returns the
    // message numbers in copy order. All or nothing: on failure no copy exists.
    virtual Result<std::vector<uint32_t>> add_mail(const NewMessage& msg,
                                                   const std::vector<RecipientCopy>& copies) = 0;
    // Post `msg` on sub-board `code` (msgs.ini internal code, any case).
    virtual Result<uint32_t> post_to_sub(const std::string& code, const NewMessage& msg) = 0;

    // Non-deleted mail whose index `to` is `user`, in index order (FMT-123).
    virtual Result<std::vector<MailSummary>> list_mailbox(uint32_t user) = 0;
    // Count of non-deleted mail waiting for `user` (MaxMsgsWaiting, SMTP-148).
    virtual Result<uint32_t> count_waiting(uint32_t user) = 0;
    // Count of non-deleted mail whose index `from` is `user`: what a user sent
    // that is still in the base (SMTP-108). A store that cannot count says
    // Invalid and the caller skips the rule.
    virtual Result<uint32_t> count_sent(uint32_t user) {
        (void)user;
        return make_error("count_sent is not available in this mail store", ErrorCode::Invalid);
    }
    // One message of the mail base; `with_text` = false reads the header only.
    virtual Result<smb::Message> read(uint32_t number, bool with_text) = 0;
    // Whole messages (text included) read under one hold of the base's
    // locks, in the order of `numbers`, for a prefix of them: reading stops
    // once `text_budget` bytes of text are in (at least one message is read),
    // so a hold stays short however large the messages (a POP3 session
    // measuring its mailbox in batches, issue #13 item 1). One result per
    // message read: the message or its own error.
    virtual std::vector<Result<smb::Message>> read_many(const std::vector<uint32_t>& numbers, size_t text_budget) {
        std::vector<Result<smb::Message>> out;
        size_t bytes = 0;
        for (uint32_t n : numbers) {
            if (!out.empty() && bytes >= text_budget) break;
            out.push_back(read(n, true));
            if (out.back()) bytes += out.back()->body.size() + out.back()->tail.size();
        }
        return out;
    }
    // The headers (no text) of `numbers`, in order, under one hold of the
    // base's locks: what a POP3 session checks its remembered sizes against.
    virtual std::vector<Result<smb::MessageHeader>> read_headers(const std::vector<uint32_t>& numbers) {
        std::vector<Result<smb::MessageHeader>> out;
        for (uint32_t n : numbers) {
            auto m = read(n, false);
            if (m) out.push_back(std::move(m->hdr));
            else out.push_back(m.error());
        }
        return out;
    }
    // The index entry of one message, no header read (a POP3 RETR of text
    // it rendered at login checks only that it is still there and unread).
    virtual Result<MailSummary> summary(uint32_t number) {
        auto m = read(number, false);
        if (!m) return m.error();
        return MailSummary{number, m->hdr.attr, m->hdr.when_written.time, 0, 0};
    }

    // Set/clear header `attr` bits, header then index (FMT-73, FMT-92).
    virtual Status change_attr(uint32_t number, uint16_t set, uint16_t clear) = 0;
    // The same for many messages, durable as a whole when it returns; goes on
    // past a failing message and returns the first error. The SMB store does
    // it under one lock with one fsync pair (a POP3 session's read marks).
    virtual Status change_attr_many(const std::vector<uint32_t>& numbers, uint16_t set, uint16_t clear) {
        Status first;
        for (uint32_t n : numbers)
            if (auto st = change_attr(n, set, clear); !st && first.ok()) first = st;
        return first;
    }
    // Rewrite the fixed part of an existing header (netattr, attr,
    // delivery_attempts) keeping its fields; header then index.
    virtual Status update_header(const smb::MessageHeader& hdr) = 0;
    // update_header of each, durable as a whole when it returns; goes on past
    // a failing message and returns the first error (then which ones were
    // written is unknown: a caller that must know updates them one by one).
    // The SMB store does it under one lock with one fsync pair.
    virtual Status update_headers(const std::vector<smb::MessageHeader>& hdrs) {
        Status first;
        for (auto& h : hdrs)
            if (auto st = update_header(h); !st && first.ok()) first = st;
        return first;
    }
    // Ours (issue #14): the fixed part of each of `numbers` changed from the
    // header as it is in the base now (under the base's locks in the SMB
    // store, so a change another process made since the caller last read it
    // is seen, not overwritten): `change` returns false to leave a header
    // unwritten; `written` says which were written. `durable` as
    // update_headers; false: written at once, visible to every reader, kept
    // across a kill of this process, made durable by sync_updates() or the
    // next durable write (only a power loss can lose it meanwhile).
    // Goes on past a failing message and returns the first error.
    virtual Status update_headers_if(const std::vector<uint32_t>& numbers,
                                     const std::function<bool(size_t, smb::MessageHeader&)>& change, bool durable,
                                     std::vector<bool>& written) {
        (void)durable;
        written.assign(numbers.size(), false);
        Status first;
        for (size_t i = 0; i < numbers.size(); ++i) {
            auto m = read(numbers[i], false);
            if (!m) { if (first.ok()) first = m.error(); continue; }
            if (!change(i, m->hdr)) continue;
            if (auto st = update_header(m->hdr); !st) { if (first.ok()) first = st; continue; }
            written[i] = true;
        }
        return first;
    }
    // Makes the updates written with durable = false durable.
    virtual Status sync_updates() { return {}; }

    // Outbound Internet mail ready for SendMail (FMT-118), by number.
    virtual Result<std::vector<uint32_t>> queued_outbound(bool include_intransit) = 0;
    // Add a header that shares the data of message `original` (bounces, FMT-121).
    virtual Result<uint32_t> add_sharing_data(uint32_t original, const smb::MessageHeader& hdr) = 0;
    // status.last_msg of the mail base (SendMail's change detector, SEND-*).
    virtual Result<uint32_t> last_msg() = 0;
};

} // namespace sbbs
