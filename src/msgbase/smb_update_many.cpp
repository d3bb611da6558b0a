// Changes to the fixed part of many headers under one base-header lock with
// one fsync pair at the end (a POP3 session marking what it retrieved, its
// deletions at QUIT, SendMail claiming a round of messages), instead of two
// fsyncs per message.
#include "msgbase/smb_internal.h"

namespace sbbs::smb {

Status SmbBase::change_attr_many(const std::vector<uint32_t>& numbers, uint16_t set, uint16_t clear) {
    return update_many(numbers, [&](size_t, MessageHeader& h) { h.attr = uint16_t((h.attr | set) & ~clear); });
}

Status SmbBase::update_many(const std::vector<uint32_t>& numbers,
                            const std::function<void(size_t, MessageHeader&)>& change) {
    std::vector<bool> written;
    return update_many_if(
        numbers, [&](size_t i, MessageHeader& h) { change(i, h); return true; }, true, written);
}

// The fsyncs are not under mu_ (nor the caller's gate): an fsync waits for
// the disk, and the writers need not wait with it; it flushes whatever was
// written before it. Then the updates it covered leave the journal (under
// the base-header lock, as every journal write).
Status SmbBase::sync_updates() {
    std::set<uint32_t> covered;
    {
        std::lock_guard g(mu_);
        covered = unsynced_updates_;
    }
    if (auto st = shd_.sync(); !st) return st;
    if (auto st = sid_.sync(); !st) return st;
    if (covered.empty()) return {};
    std::lock_guard g(mu_);
    BaseStatus s;
    auto hl = Impl::begin_write(*this, s);   // also repairs a crashed writer's entry
    if (!hl) return {};                      // synced; the entry stays until the next sync
    for (uint32_t n : covered) unsynced_updates_.erase(n);
    auto f = File::open(file("updating"), false);
    if (f) Impl::clear_updating(*this, *f);
    return {};
}

Status SmbBase::update_many_if(const std::vector<uint32_t>& numbers,
                               const std::function<bool(size_t, MessageHeader&)>& change, bool sync,
                               std::vector<bool>& written) {
    written.assign(numbers.size(), false);
    if (numbers.empty()) return {};
    std::lock_guard g(mu_);
    BaseStatus s;
    auto hl = Impl::begin_write(*this, s);
    if (!hl) return hl.error();
    const bool durable = opt_.durable;
    Status first_error;
    auto note = [&](const Error& e) { if (first_error.ok()) first_error = e; };   // keep going
    bool wrote = false;
    auto journal = Impl::note_updating(*this, numbers);
    if (!journal) return journal.error();
    for (size_t i = 0; i < numbers.size(); ++i) {
        const uint32_t number = numbers[i];
        uint32_t pos = 0;
        auto idx = Impl::find_locked(*this, s, number, &pos);
        if (!idx) { note(idx.error()); continue; }
        auto ml = Impl::lock(*this, shd_, idx->offset, FIXED_HEADER_LEN, "message header");
        if (!ml) { note(ml.error()); continue; }
        auto h = Impl::read_header_unlocked(*this, idx->offset);
        if (!h || h->number != number) {
            note(h ? make_error(shd_.path() + ": index of message " + std::to_string(number) + " points at message " +
                                    std::to_string(h->number), ErrorCode::Corrupt)
                   : h.error());
            continue;
        }
        uint32_t old_blocks = blocks_for(computed_header_length(*h));
        if (!change(i, *h)) continue;   // judged on the header as it is now: left alone
        h->number = number;
        // Same size: written in place, synced below with the rest. A header
        // that would change size (not from the fixed part) goes the durable way.
        opt_.durable = durable && blocks_for(computed_header_length(*h)) != old_blocks;
        Status st = Impl::rewrite_locked(*this, s, pos, *h, old_blocks);
        opt_.durable = durable;
        if (!st) { note(st.error()); continue; }
        wrote = true;
        written[i] = true;
    }
    if (wrote && durable && sync) {
        if (auto st = shd_.sync(); !st) return st;
        if (auto st = sid_.sync(); !st) return st;
        unsynced_updates_.clear();   // the fsyncs covered them too
    } else if (durable) {            // journaled until sync_updates() (finding 4)
        for (size_t i = 0; i < numbers.size(); ++i)
            if (written[i]) unsynced_updates_.insert(numbers[i]);
    }
    // Cleared only when every index record matches its header; after a
    // failed rewrite the entry stays for recovery to match up, as update() does.
    if (first_error.ok() && *journal) Impl::clear_updating(*this, **journal);
    return first_error;
}

} // namespace sbbs::smb
