// Loading a POP3 mailbox snapshot with exact message sizes.
#include "pop3/mailbox.h"

namespace sbbs::pop3 {

Result<Mailbox> Mailbox::load(MailStore& store, uint32_t user, bool no_spam, const RenderContext& ctx,
                              size_t cache_budget) {
    auto list = store.list_mailbox(user);
    if (!list) return list.error();
    Mailbox box;
    box.entries_.reserve(list->size());
    size_t cached_bytes = 0;
    for (auto& s : *list) {
        if (s.number == 0 || (s.attr & smb::attr::DELETE)) continue;
        if (no_spam && (s.attr & smb::attr::SPAM)) continue;
        auto msg = store.read(s.number, true);
        if (!msg) {
            Error e = msg.error();
            e.message = "message #" + std::to_string(s.number) + ": " + e.message;
            return e;
        }
        RenderedMessage r = render_message(*msg, ctx);
        MailboxEntry e{s.number, s.attr, r.octets(), false, false, nullptr};
        if (r.attachments.empty() && cached_bytes + e.size <= cache_budget) {
            auto c = std::make_shared<CachedRetr>();
            c->text = retr_text(r, r.text.size(), true);
            c->sender = msg->hdr.get(smb::hf::SENDER);
            c->text_bytes = r.text_bytes;
            cached_bytes += c->text.bytes.size();
            e.cached = std::move(c);
        }
        box.entries_.push_back(std::move(e));
    }
    return box;
}

size_t Mailbox::live_count() const {
    size_t n = 0;
    for (auto& e : entries_) n += !e.deleted;
    return n;
}

uint64_t Mailbox::live_bytes() const {
    uint64_t n = 0;
    for (auto& e : entries_)
        if (!e.deleted) n += e.size;
    return n;
}

} // namespace sbbs::pop3
