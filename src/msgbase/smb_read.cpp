// Reading an SMB base: status, index (binary search), headers under the
// message-header lock, and data fields decoded from .sdt (FMT-98, FMT-99).
#include "msgbase/smb_internal.h"

namespace sbbs::smb {

Result<BaseStatus> SmbBase::status() {
    std::lock_guard g(mu_);
    auto hl = Impl::lock_base_header(*this);
    if (!hl) return hl.error();
    return Impl::read_status(*this);
}

Result<std::vector<IndexRecord>> SmbBase::read_index(bool locked) {
    // The handle's mutex only guards the lock below (FMT-88). An unlocked read
    // (FMT-86: positionless pread of whole records) must not wait for this
    // handle's writer, which holds the mutex through a batch's fsyncs: SMTP's
    // MaxMsgsWaiting count on every RCPT would otherwise queue behind it.
    std::unique_lock g(mu_, std::defer_lock);
    RangeLock hl;
    if (locked) {
        g.lock();
        auto l = Impl::lock_base_header(*this);
        if (!l) return l.error();
        hl = std::move(*l);
    }
    // Records past status.total_msgs belong to an add that has not finished
    // (or was killed after its commit point, until recovery rolls it
    // forward): their headers may still carry the pending id, so they are
    // not messages yet, as the original's mail reader (getmail.c) also
    // reads no further than total_msgs (issue #13: nothing half-visible).
    auto status = Impl::read_status(*this);
    if (!status) return status.error();
    auto size = sid_.size();
    if (!size) return size.error();
    size_t n = size_t(std::min<uint64_t>(*size / INDEX_LEN, status->total_msgs));   // FMT-86: whole records only
    std::string raw(n * INDEX_LEN, '\0');
    auto got = sid_.read_at(0, raw.data(), raw.size());
    if (!got) return got.error();
    n = *got / INDEX_LEN;
    std::vector<IndexRecord> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        IndexRecord r = decode_index(raw.data() + i * INDEX_LEN);
        if (r.number != 0) out.push_back(r);                 // FMT-78
    }
    return out;
}

Result<IndexRecord> SmbBase::Impl::find_locked(SmbBase& b, const BaseStatus& s, uint32_t number, uint32_t* pos) {
    auto size = b.sid_.size();
    if (!size) return size.error();
    uint64_t n = std::min<uint64_t>(s.total_msgs, *size / INDEX_LEN);
    uint64_t lo = 0, hi = n;
    // Numbers mostly run without gaps up to last_msg: one read of a few
    // records around the guessed place usually finds it (a POP3 session reads
    // every message); otherwise it narrows the binary search below.
    if (n > 0 && number <= s.last_msg) {
        constexpr uint64_t W = 8;
        uint64_t back = s.last_msg - number;
        uint64_t guess = back < n ? n - 1 - back : 0;
        uint64_t first = guess > W ? guess - W : 0;
        uint64_t count = std::min<uint64_t>(2 * W, n - first);
        char win[2 * W * INDEX_LEN];
        auto got = b.sid_.read_at(first * INDEX_LEN, win, size_t(count * INDEX_LEN));
        if (!got) return got.error();
        count = std::min<uint64_t>(count, *got / INDEX_LEN);
        if (count > 0) {
            bool sorted = true;                               // else: plain binary search
            uint32_t prev = 0;
            for (uint64_t i = 0; i < count; ++i) {
                IndexRecord r = decode_index(win + i * INDEX_LEN);
                if (r.number == number) {
                    if (pos) *pos = uint32_t(first + i);
                    return r;
                }
                sorted = sorted && r.number > prev;
                prev = r.number;
            }
            uint32_t low = decode_index(win).number;
            if (sorted && number > prev) lo = first + count;
            else if (sorted && number < low) hi = first;
            else if (sorted) lo = hi;                          // within the window's range: absent
        }
    }
    while (lo < hi) {                                         // FMT-72
        uint64_t mid = (lo + hi) / 2;
        char rec[INDEX_LEN];
        if (auto st = b.sid_.read_exact(mid * INDEX_LEN, rec, INDEX_LEN); !st) return st.error();
        IndexRecord r = decode_index(rec);
        if (r.number == number) {
            if (pos) *pos = uint32_t(mid);
            return r;
        }
        if (r.number < number) lo = mid + 1;
        else hi = mid;
    }
    return make_error(b.sid_.path() + ": message " + std::to_string(number) + " not in index",
                      ErrorCode::NotFound);
}

Result<IndexRecord> SmbBase::find(uint32_t number) {
    std::lock_guard g(mu_);
    auto hl = Impl::lock_base_header(*this);
    if (!hl) return hl.error();
    auto s = Impl::read_status(*this);
    if (!s) return s.error();
    return Impl::find_locked(*this, *s, number, nullptr);
}

Result<MessageHeader> SmbBase::Impl::read_header_unlocked(SmbBase& b, uint32_t offset) {
    char base[BASE_HEADER_LEN];
    auto got = b.shd_.read_at(0, base, sizeof base);
    if (!got) return got.error();
    auto s = decode_base_header(std::string_view(base, *got), b.shd_.path());
    if (!s) return s.error();
    return read_header_unlocked(b, offset, *s);
}

Result<MessageHeader> SmbBase::Impl::read_header_unlocked(SmbBase& b, uint32_t offset, const BaseStatus& s) {
    auto where = [&] { return b.shd_.path() + " at offset " + std::to_string(offset); };   // errors only
    if (offset < s.header_offset)                            // FMT-99
        return make_error(where() + ": header offset before the first header block", ErrorCode::Corrupt);
    // Most headers fit in the first read; a longer one costs a second.
    constexpr size_t FIRST_READ = 1024;
    std::string rec(FIRST_READ, '\0');
    auto n = b.shd_.read_at(offset, rec.data(), rec.size());
    if (!n) return n.error();
    if (*n < FIXED_HEADER_LEN) return make_error(where() + ": truncated message header", ErrorCode::Corrupt);
    uint16_t len = stored_header_length(std::string_view(rec.data(), FIXED_HEADER_LEN));
    if (len < FIXED_HEADER_LEN) {
        auto h = decode_header(std::string_view(rec.data(), FIXED_HEADER_LEN));   // for its precise complaint
        return make_error(where() + ": " + (h ? std::string("bad header length") : h.error().message),
                          ErrorCode::Corrupt);
    }
    size_t have = *n;
    rec.resize(len);
    if (have < len) {
        auto m = b.shd_.read_at(offset, rec.data(), rec.size());
        if (!m) return m.error();
        if (*m < len) return make_error(where() + ": message header runs past end of file", ErrorCode::Corrupt);
    }
    auto h = decode_header(rec);
    if (!h) return make_error(where() + ": " + h.error().message, ErrorCode::Corrupt);
    h->header_offset = offset;
    return h;
}

Result<MessageHeader> SmbBase::Impl::read_header_message_locked(SmbBase& b, uint32_t offset) {
    auto ml = lock(b, b.shd_, offset, FIXED_HEADER_LEN, "message header");   // FMT-81
    if (!ml) return ml.error();
    return read_header_unlocked(b, offset);
}

Result<MessageHeader> SmbBase::Impl::read_header_message_locked(SmbBase& b, uint32_t offset, const BaseStatus& s) {
    auto ml = lock(b, b.shd_, offset, FIXED_HEADER_LEN, "message header");   // FMT-81
    if (!ml) return ml.error();
    return read_header_unlocked(b, offset, s);
}

Result<MessageHeader> SmbBase::read_header(uint32_t offset) {
    std::lock_guard g(mu_);
    return Impl::read_header_message_locked(*this, offset);
}

Result<std::pair<std::string, std::string>> SmbBase::read_text(const MessageHeader& h) {
    auto size = sdt_.size();
    if (!size) return size.error();
    std::pair<std::string, std::string> out;
    for (size_t i = 0; i < h.dfields.size(); ++i) {
        const DataField& d = h.dfields[i];
        if (d.type != dfield::TEXT_BODY && d.type != dfield::TEXT_TAIL) continue;   // FMT-29
        std::string what = sdt_.path() + ": message " + std::to_string(h.number) + " data field " +
                           std::to_string(i);
        if ((d.offset | d.length) & 0x80000000u)
            return make_error(what + ": offset or length has bit 31 set", ErrorCode::Corrupt);
        uint64_t at = uint64_t(h.offset) + d.offset;
        if (at + d.length > *size) return make_error(what + ": runs past end of file", ErrorCode::Corrupt);
        if (d.length <= 2) continue;                                         // FMT-46
        std::string raw(d.length, '\0');
        if (auto st = sdt_.read_exact(at, raw.data(), raw.size()); !st) return st.error();
        auto text = decode_data_field(std::move(raw));
        if (!text) return make_error(what + ": " + text.error().message, ErrorCode::Corrupt);
        std::string& into = d.type == dfield::TEXT_BODY ? out.first : out.second;
        if (into.empty()) into = std::move(*text);       // the usual single field: no copy (SEC-11)
        else into += *text;
    }
    return out;
}

Result<Message> SmbBase::read_message(uint32_t number, bool with_text) {
    Result<MessageHeader> h = make_error("", ErrorCode::Io);
    {
        // Index entry and header in one base-header hold (as read_messages
        // does): the status read for the search also checks the header's
        // offset, so the base header is read once, not twice, per message.
        std::lock_guard g(mu_);
        auto hl = Impl::lock_base_header(*this);
        if (!hl) return hl.error();
        auto s = Impl::read_status(*this);
        if (!s) return s.error();
        auto idx = Impl::find_locked(*this, *s, number, nullptr);
        if (!idx) return idx.error();
        h = Impl::read_header_message_locked(*this, idx->offset, *s);   // FMT-81
    }
    if (!h) return h.error();
    if (h->number != number)
        return make_error(shd_.path() + ": index of message " + std::to_string(number) +
                              " points at header of message " + std::to_string(h->number),
                          ErrorCode::Corrupt);
    Message m;
    m.hdr = std::move(*h);
    if (with_text) {
        auto t = read_text(m.hdr);
        if (!t) return t.error();
        m.body = std::move(t->first);
        m.tail = std::move(t->second);
    }
    return m;
}

std::string retrieval_text(const Message& m, bool with_tails) {
    std::string out;
    bool any = false;
    for (auto& f : m.hdr.fields)
        if (f.type == hf::SMB_COMMENT || f.type == hf::SMTPSYSMSG) { out += f.data + "\r\n"; any = true; }
    if (any) out += "\r\n";
    unsigned answers = 0;
    for (auto& f : m.hdr.fields) {
        if (f.type != 0xE0) continue;                         // SMB_POLL_ANSWER
        std::string n = std::to_string(++answers);
        out += (n.size() < 2 ? " " + n : n) + ": " + f.data + "\r\n";
    }
    if (!m.body.empty()) out += m.body + "\r\n";
    if (with_tails && !m.tail.empty()) out += m.tail + "\r\n";
    return out;
}

} // namespace sbbs::smb
