// Reading several messages of an SMB base under one base-header lock hold,
// the batch a POP3 session measures its mailbox in (issue #13 item 1): one
// lock round-trip per batch instead of one per message, and a hold bounded
// by the batch's text bytes.
#include "msgbase/smb_internal.h"

namespace sbbs::smb {

namespace {

// One header under the base-header lock the caller holds.
Result<MessageHeader> header_locked(SmbBase& b, const BaseStatus& s, uint32_t number) {
    auto idx = SmbBase::Impl::find_locked(b, s, number, nullptr);
    if (!idx) return idx.error();
    auto h = SmbBase::Impl::read_header_message_locked(b, idx->offset, s);   // FMT-81
    if (!h) return h.error();
    if (h->number != number)
        return make_error(b.file("shd") + ": index of message " + std::to_string(number) +
                              " points at header of message " + std::to_string(h->number),
                          ErrorCode::Corrupt);
    return h;
}

// One message under the base-header lock the caller holds.
Result<Message> read_one_locked(SmbBase& b, const BaseStatus& s, uint32_t number) {
    auto h = header_locked(b, s, number);
    if (!h) return h.error();
    Message m;
    m.hdr = std::move(*h);
    auto t = b.read_text(m.hdr);
    if (!t) return t.error();
    m.body = std::move(t->first);
    m.tail = std::move(t->second);
    return m;
}

} // namespace

std::vector<Result<Message>> SmbBase::read_messages(const std::vector<uint32_t>& numbers, size_t text_budget) {
    std::vector<Result<Message>> out;
    if (numbers.empty()) return out;
    std::lock_guard g(mu_);
    auto hl = Impl::lock_base_header(*this);   // FMT-80, once
    if (!hl) return {Result<Message>(hl.error())};
    auto s = Impl::read_status(*this);
    if (!s) return {Result<Message>(s.error())};
    size_t bytes = 0;
    for (uint32_t n : numbers) {
        if (!out.empty() && bytes >= text_budget) break;
        out.push_back(read_one_locked(*this, *s, n));
        if (out.back()) bytes += out.back()->body.size() + out.back()->tail.size();
    }
    return out;
}

std::vector<Result<MessageHeader>> SmbBase::read_headers(const std::vector<uint32_t>& numbers) {
    std::vector<Result<MessageHeader>> out;
    if (numbers.empty()) return out;
    std::lock_guard g(mu_);
    auto hl = Impl::lock_base_header(*this);
    if (!hl) return {Result<MessageHeader>(hl.error())};
    auto s = Impl::read_status(*this);
    if (!s) return {Result<MessageHeader>(s.error())};
    for (uint32_t n : numbers) out.push_back(header_locked(*this, *s, n));
    return out;
}

} // namespace sbbs::smb
