// The update journal, <base>.updating (ours, issue #13): the numbers of the
// messages an update is rewriting. A header is written before its index
// record (FMT-92..94), so a kill between the two left the index one change
// behind (chksmb: attributes mismatch; a deletion the header has and the
// index lacks) until that message's next update. Recovery now rewrites the
// index records of the journaled messages from their headers. Like the
// add journal it is never fsynced: it guards against a killed process.
#include "msgbase/smb_internal.h"

#include "msgbase/checksum.h"

namespace sbbs::smb {

namespace {

const char MAGIC[4] = {'U', 'P', 'D', '1'};

std::optional<std::vector<uint32_t>> decode_updating(const std::string& bytes) {
    if (bytes.size() < 12 || bytes.compare(0, 4, MAGIC, 4) != 0 || (bytes.size() - 8) % 4) return std::nullopt;
    if (crc32(std::string_view(bytes).substr(0, bytes.size() - 4)) != get32(bytes.data() + bytes.size() - 4))
        return std::nullopt;
    std::vector<uint32_t> numbers;
    for (size_t at = 4; at + 4 < bytes.size(); at += 4) numbers.push_back(get32(bytes.data() + at));
    return numbers;
}

} // namespace

Result<File> SmbBase::Impl::note_updating(SmbBase& b, const std::vector<uint32_t>& numbers) {
    auto f = File::open(b.file("updating"), true);
    if (!f) return f.error();
    std::string bytes(MAGIC, 4);
    for (uint32_t n : numbers) put32(bytes, n);
    put32(bytes, crc32(bytes));
    if (auto st = f->write_at(0, bytes.data(), bytes.size()); !st) return st.error();
    return f;
}

Status SmbBase::Impl::repair_updating_locked(SmbBase& b, const BaseStatus& s) {
    auto f = File::open(b.file("updating"), false);
    if (!f) return {};                                           // never written: nothing pending
    auto size = f->size();
    if (!size || *size == 0) return {};
    std::string bytes(size_t(std::min<uint64_t>(*size, 1 << 24)), '\0');
    if (auto st = f->read_exact(0, bytes.data(), bytes.size()); !st) return st;
    bool email = s.attr & status_attr::EMAIL;
    bool repaired = false;
    for (uint32_t number : decode_updating(bytes).value_or(std::vector<uint32_t>{})) {
        uint32_t pos = 0;
        auto idx = find_locked(b, s, number, &pos);
        if (!idx) continue;                                      // gone since: nothing to match
        auto h = read_header_unlocked(b, idx->offset);
        if (!h || h->number != number) continue;
        std::string want = encode_index(index_for(*h, email));
        if (want == encode_index(*idx)) continue;
        if (auto st = b.sid_.write_at(uint64_t(pos) * INDEX_LEN, want.data(), want.size()); !st) return st;
        repaired = true;
    }
    if (repaired && b.opt_.durable)
        if (auto st = b.sid_.sync(); !st) return st;
    return f->truncate(0);
}

} // namespace sbbs::smb
