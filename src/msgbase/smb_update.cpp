// Changing stored messages: read-modify-write of a header and its index
// record (FMT-92..95), headers sharing existing data (FMT-91), and the
// parent side of thread linkage (FMT-89 step 8).
//
// Durability of updates: the header is written before its index record and
// both are fsynced before returning. A kill between the two writes would
// leave the index one change behind the header (chksmb: "attributes
// mismatch"); the update journal (smb_update_journal.cpp) names the messages
// being rewritten, so recovery matches their index records up. Unlike an
// add, nothing is lost or hidden by it.
// A grown header is written and synced at its new place before the index
// points there, and only then is the old copy flagged deleted and freed.
#include "msgbase/smb_internal.h"

#include <cstring>

namespace sbbs::smb {

namespace {

Status write_index_at(File& sid, uint32_t pos, const IndexRecord& r) {
    std::string rec = encode_index(r);
    return sid.write_at(uint64_t(pos) * INDEX_LEN, rec.data(), rec.size());
}

// FMT-70: zero the entries, or cut .sha/.shd when they end the table.
Status free_header_blocks(AllocTable& sha, File& shd, const BaseStatus& s, uint32_t first, uint32_t n) {
    if (first + n >= sha.size()) {
        if (auto st = sha.flush(); !st) return st;
        if (auto st = sha.truncate_to(first); !st) return st;
        return shd.truncate(uint64_t(s.header_offset) + uint64_t(first) * BLOCK_LEN);
    }
    for (uint32_t i = 0; i < n; ++i) sha.set(first + i, 0);
    return sha.flush();
}

} // namespace

Status SmbBase::Impl::rewrite_locked(SmbBase& b, BaseStatus& s, uint32_t pos, const MessageHeader& h0,
                                     uint32_t old_blocks) {
    MessageHeader h = h0;
    h.type = type_for_attr(h.attr);
    auto bytes = encode_header(h);
    if (!bytes) return bytes.error();
    uint32_t new_blocks = uint32_t(bytes->size() / BLOCK_LEN);
    bool hyper = s.attr & status_attr::HYPERALLOC;
    bool email = s.attr & status_attr::EMAIL;
    uint32_t old_offset = h.header_offset;
    uint32_t old_first = (old_offset - s.header_offset) / BLOCK_LEN;
    std::optional<AllocTable> sha;
    if (!hyper && new_blocks != old_blocks) {
        auto t = open_table(b, "sha", false);
        if (!t) return t.error();
        sha = std::move(*t);
    }
    if (new_blocks <= old_blocks) {                              // in place (FMT-94)
        if (auto st = b.shd_.write_at(old_offset, bytes->data(), bytes->size()); !st) return st;
        step(b, "update-header");
        if (sha && new_blocks < old_blocks)                      // ours frees the surplus
            if (auto st = free_header_blocks(*sha, b.shd_, s, old_first + new_blocks, old_blocks - new_blocks); !st)
                return st;
    } else {                                                     // grown: move it
        uint32_t first;
        if (hyper) {
            auto end = b.shd_.size();
            if (!end) return end.error();
            first = uint32_t((*end - s.header_offset + BLOCK_LEN - 1) / BLOCK_LEN);
        } else {
            first = sha->find_run(new_blocks, AllocMode::SelfPack);   // never fast (FMT-66)
        }
        h.header_offset = s.header_offset + first * BLOCK_LEN;
        if (auto st = b.shd_.write_at(h.header_offset, bytes->data(), bytes->size()); !st) return st;
        if (sha) {
            for (uint32_t i = 0; i < new_blocks; ++i) sha->set(first + i, 1);
            if (auto st = sha->flush(); !st) return st;
        }
        if (b.opt_.durable)
            if (auto st = b.shd_.sync(); !st) return st;
        if (auto st = write_index_at(b.sid_, pos, index_for(h, email)); !st) return st;
        index_changed(b);                                        // our in-place change: recount (index_tally.h)
        if (b.opt_.durable)
            if (auto st = b.sid_.sync(); !st) return st;
        MessageHeader old = h0;
        old.attr |= attr::DELETE;
        std::string fixed = encode_fixed_part(old, uint16_t(computed_header_length(h0)));
        if (auto st = b.shd_.write_at(old_offset, fixed.data(), fixed.size()); !st) return st;
        if (sha)
            if (auto st = free_header_blocks(*sha, b.shd_, s, old_first, old_blocks); !st) return st;
    }
    if (auto st = write_index_at(b.sid_, pos, index_for(h, email)); !st) return st;   // header first, then index
    index_changed(b);
    if (b.opt_.durable) {
        if (auto st = b.shd_.sync(); !st) return st;
        if (auto st = b.sid_.sync(); !st) return st;
        if (sha)
            if (auto st = sha->file.sync(); !st) return st;
    }
    return {};
}

Status SmbBase::update(uint32_t number, const std::function<void(MessageHeader&)>& change) {
    std::lock_guard g(mu_);
    BaseStatus s;
    auto hl = Impl::begin_write(*this, s);
    if (!hl) return hl.error();
    uint32_t pos = 0;
    auto idx = Impl::find_locked(*this, s, number, &pos);         // refreshes the offset (FMT-92)
    if (!idx) return idx.error();
    auto ml = Impl::lock(*this, shd_, idx->offset, FIXED_HEADER_LEN, "message header");
    if (!ml) return ml.error();
    auto h = Impl::read_header_unlocked(*this, idx->offset);     // re-read under both locks
    if (!h) return h.error();
    if (h->number != number)
        return make_error(shd_.path() + ": index of message " + std::to_string(number) + " points at message " +
                              std::to_string(h->number), ErrorCode::Corrupt);
    uint32_t old_blocks = blocks_for(computed_header_length(*h));
    change(*h);
    h->number = number;
    auto journal = Impl::note_updating(*this, {number});
    if (!journal) return journal.error();
    auto st = Impl::rewrite_locked(*this, s, pos, *h, old_blocks);
    if (st && *journal) Impl::clear_updating(*this, **journal);         // else left for recovery to match up
    return st;
}

Status SmbBase::change_attr(uint32_t number, uint16_t set, uint16_t clear) {
    return update(number, [&](MessageHeader& h) { h.attr = uint16_t((h.attr | set) & ~clear); });
}

Result<uint32_t> SmbBase::add_sharing_data(uint32_t original, const MessageHeader& hdr) {
    std::lock_guard g(mu_);
    BaseStatus s;
    auto hl = Impl::begin_write(*this, s);
    if (!hl) return hl.error();
    auto idx = Impl::find_locked(*this, s, original, nullptr);
    if (!idx) return idx.error();
    auto orig = Impl::read_header_unlocked(*this, idx->offset);
    if (!orig) return orig.error();
    MessageHeader h = hdr;
    h.number = s.last_msg + 1;
    h.version = FORMAT_VERSION;
    h.attr &= uint16_t(~attr::DELETE);
    h.type = type_for_attr(h.attr);
    if (h.thread_id == 0) h.thread_id = h.number;
    if (h.when_imported_time == 0) {
        h.when_imported_time = unix_time_now();
        h.when_imported_zone = int16_t(local_time(h.when_imported_time).utc_offset_min);
    }
    if (h.when_written.time == 0) h.when_written = when_from_unix(h.when_imported_time);
    h.offset = orig->offset;
    h.dfields = orig->dfields;
    AddTxn t(s, (s.attr & status_attr::HYPERALLOC) != 0);
    t.sdt_size = AddTxn::current(sdt_);
    t.shd_size = AddTxn::current(shd_);
    if (!t.hyper && !h.dfields.empty()) {                        // one more reference per field (FMT-91)
        auto sda = Impl::open_table(*this, "sda", true);
        if (!sda) return sda.error();
        t.sda = std::move(*sda);
        t.sda->begin_undo();
        for (auto& d : h.dfields) {
            uint32_t first = (h.offset + d.offset) / BLOCK_LEN;
            for (uint32_t i = 0; i < blocks_for(d.length); ++i) {
                uint32_t e = first + i;
                if (e >= t.sda->size())
                    return make_error(file("sda") + ": data of message " + std::to_string(original) +
                                          " lies past the allocation table", ErrorCode::Corrupt);
                t.sda->set(e, uint16_t(t.sda->get(e) + 1));
            }
        }
        if (auto st = t.sda->flush(); !st) { (void)t.rollback(sdt_, shd_); return st.error(); }
        Impl::step(*this, "sda");
    }
    std::vector<MessageHeader> hdrs{h};
    auto numbers = Impl::commit_headers(*this, t, hdrs);
    if (!numbers) return numbers.error();
    return numbers->front();
}

void SmbBase::Impl::link_reply(SmbBase& b, BaseStatus& s, const MessageHeader& reply) {
    uint32_t target = reply.thread_back;
    for (int hop = 0; hop < 100000 && target; ++hop) {
        uint32_t pos = 0;
        auto idx = find_locked(b, s, target, &pos);
        if (!idx) return;
        auto ml = lock(b, b.shd_, idx->offset, FIXED_HEADER_LEN, "message header");
        if (!ml) return;
        auto h = read_header_unlocked(b, idx->offset);
        if (!h) return;
        uint32_t blocks = blocks_for(computed_header_length(*h));
        if (hop == 0 && h->thread_first == 0) {
            h->thread_first = reply.number;
            h->attr |= attr::REPLIED;
            (void)rewrite_locked(b, s, pos, *h, blocks);
            return;
        }
        if (hop > 0 && h->thread_next == 0) {
            h->thread_next = reply.number;
            (void)rewrite_locked(b, s, pos, *h, blocks);
            return;
        }
        if (hop == 0) {
            if (hop == 0 && h->thread_first == reply.number) return;
            target = h->thread_first;
        } else {
            target = h->thread_next == reply.number ? 0 : h->thread_next;
        }
    }
}

} // namespace sbbs::smb
