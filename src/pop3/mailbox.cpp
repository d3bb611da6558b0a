// Loading a POP3 mailbox snapshot from the index and measuring exact sizes
// lazily, in batches read under one lock hold each.
#include "pop3/mailbox.h"

#include <algorithm>

namespace sbbs::pop3 {

Result<Mailbox> Mailbox::load(MailStore& store, uint32_t user, bool no_spam) {
    auto list = store.list_mailbox(user);            // one locked index snapshot
    if (!list) return list.error();
    Mailbox box;
    box.entries_.reserve(list->size());
    for (auto& s : *list) {
        if (s.number == 0 || (s.attr & smb::attr::DELETE)) continue;
        if (no_spam && (s.attr & smb::attr::SPAM)) continue;
        MailboxEntry e;
        e.number = s.number;
        e.attr = s.attr;
        box.entries_.push_back(std::move(e));
    }
    return box;
}

// The exact size of a rendered message, and its RETR reply kept when it
// fits the session's budget (the text's size tells before building it).
void Mailbox::measure_rendered(MailboxEntry& e, const RenderedMessage& head, std::string_view text,
                               const smb::Message& msg, bool exact_text) {
    if (!head.attachments.empty() || cached_bytes_ + text.size() > cache_budget_) {
        e.size = retr_octets(head, text, exact_text);
        return;
    }
    auto c = std::make_shared<CachedRetr>();
    c->text = retr_text_full(head, text, exact_text);
    c->sender = msg.hdr.get(smb::hf::SENDER);
    c->text_bytes = head.text_bytes;
    e.size = c->text.octets;
    cached_bytes_ += c->text.bytes.size();
    e.cached = std::move(c);
}

std::optional<MeasureError> Mailbox::measure(MailStore& store, const RenderContext& ctx, size_t first, size_t end) {
    end = std::min(end, entries_.size());
    if (memo_ && memo_->size() > 0)
        if (auto failed = recall(store, ctx, first, end)) return failed;
    return render_batches(store, ctx, first, end);
}

// Sizes remembered for these very headers; what is not found is left unmeasured.
std::optional<MeasureError> Mailbox::recall(MailStore& store, const RenderContext& ctx, size_t first, size_t end) {
    for (size_t next = first; next < end;) {
        std::vector<size_t> todo;
        for (; next < end && todo.size() < BATCH_HEADERS; ++next)
            if (!entries_[next].size) todo.push_back(next);
        if (todo.empty()) break;
        std::vector<uint32_t> numbers;
        for (size_t i : todo) numbers.push_back(entries_[i].number);
        auto headers = store.read_headers(numbers);
        for (size_t k = 0; k < headers.size() && k < todo.size(); ++k) {
            if (!headers[k]) {
                if (headers[k].error().code == ErrorCode::Locked) return MeasureError{numbers[k], headers[k].error()};
                continue;                             // the text pass reports it (or finds it vanished)
            }
            if (auto octets = memo_->find(memo_->key(*headers[k], ctx))) entries_[todo[k]].size = *octets;
        }
    }
    return std::nullopt;
}

std::optional<MeasureError> Mailbox::render_batches(MailStore& store, const RenderContext& ctx, size_t first,
                                                    size_t end) {
    size_t next = first;
    while (next < end) {
        std::vector<size_t> todo;                     // entry positions of this batch
        for (; next < end && todo.size() < BATCH_MESSAGES; ++next)
            if (!entries_[next].size) todo.push_back(next);
        if (todo.empty()) break;
        std::vector<uint32_t> numbers;
        for (size_t i : todo) numbers.push_back(entries_[i].number);
        auto got = store.read_many(numbers, BATCH_TEXT_BYTES);   // may cover a prefix only
        if (got.empty()) return MeasureError{numbers[0], make_error("nothing read", ErrorCode::Io)};
        if (got.size() > todo.size()) got.erase(got.begin() + long(todo.size()), got.end());   // never more than asked
        for (size_t k = 0; k < got.size(); ++k) {
            MailboxEntry& e = entries_[todo[k]];
            if (!got[k] && got[k].error().code == ErrorCode::NotFound) {   // deleted by another program
                e.vanished = true;
                e.size = 0;
                continue;
            }
            if (!got[k]) return MeasureError{e.number, got[k].error()};
            std::string text;
            RenderedMessage head = render_message_head(*got[k], ctx, text);
            measure_rendered(e, head, text, *got[k], ctx.exact_text);
            if (memo_ && head.attachments.empty()) memo_->remember(memo_->key(got[k]->hdr, ctx), *e.size);
        }
        if (got.size() < todo.size()) next = todo[got.size()];   // the rest in the next batch
    }
    return std::nullopt;
}

// Neither counts a message another program purged before it was measured:
// LIST leaves it out, so STAT must too (RFC 1939: STAT and LIST agree).
size_t Mailbox::live_count() const {
    size_t n = 0;
    for (auto& e : entries_) n += !e.deleted && !e.vanished;
    return n;
}

std::optional<uint64_t> Mailbox::live_bytes() const {
    uint64_t n = 0;
    for (auto& e : entries_) {
        if (e.deleted || e.vanished) continue;
        if (!e.size) return std::nullopt;
        n += *e.size;
    }
    return n;
}

} // namespace sbbs::pop3
