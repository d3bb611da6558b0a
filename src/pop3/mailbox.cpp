// Loading a POP3 mailbox snapshot with exact message sizes.
#include "pop3/mailbox.h"

namespace sbbs::pop3 {

Result<Mailbox> Mailbox::load(MailStore& store, uint32_t user, bool no_spam, const RenderContext& ctx) {
    auto list = store.list_mailbox(user);
    if (!list) return list.error();
    Mailbox box;
    for (auto& s : *list) {
        if (s.number == 0 || (s.attr & smb::attr::DELETE)) continue;
        if (no_spam && (s.attr & smb::attr::SPAM)) continue;
        auto msg = store.read(s.number, true);
        if (!msg) {
            Error e = msg.error();
            e.message = "message #" + std::to_string(s.number) + ": " + e.message;
            return e;
        }
        box.entries_.push_back({s.number, s.attr, render_message(*msg, ctx).octets(), false, false});
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
