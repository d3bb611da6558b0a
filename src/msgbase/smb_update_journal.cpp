// The update journal, <base>.updating (ours, issue #13): the numbers of the
// messages an update is rewriting. A header is written before its index
// record (FMT-92..94), so a kill between the two left the index one change
// behind (chksmb: attributes mismatch; a deletion the header has and the
// index lacks) until that message's next update. Recovery now rewrites the
// index records of the journaled messages from their headers. Like the
// add journal it is never fsynced: it guards against a killed process.
// Updates written without their fsync (sent marks, a claim before its
// sync_updates()) stay journaled until sync_updates() has synced both files,
// so a power loss that keeps one of header and index finds them still
// listed (issue #14 review, finding 4). Every entry we write holds them too.
//
// The file keeps its blocks between updates: an entry is cleared by
// overwriting its magic in place, never by truncating, and a new file is
// made KEEP_BYTES long. So on a full disk the usual update (up to ~1,000
// messages) still journals without allocating; one that cannot (a larger
// one, or the very first on a full disk) runs unjournaled with a log line,
// since refusing it would refuse the POP3 deletions that free space and
// the SendMail SENT mark that prevents a second delivery.
#include "msgbase/smb_internal.h"

#include "msgbase/checksum.h"
#include "msgbase/notice.h"

namespace sbbs::smb {

namespace {

const char MAGIC[4] = {'U', 'P', 'D', '2'};       // magic, count, numbers, crc32 of what precedes
const char OLD_MAGIC[4] = {'U', 'P', 'D', '1'};   // earlier releases: magic, numbers, crc32; the whole file
const char CLEAR[4] = {'U', 'P', 'D', '0'};       // nothing pending
constexpr size_t KEEP_BYTES = 4096;

std::optional<std::vector<uint32_t>> decode_numbers(std::string_view bytes, size_t first, size_t end) {
    if (crc32(bytes.substr(0, end)) != get32(bytes.data() + end)) return std::nullopt;
    std::vector<uint32_t> numbers;
    for (size_t at = first; at < end; at += 4) numbers.push_back(get32(bytes.data() + at));
    return numbers;
}

std::optional<std::vector<uint32_t>> decode_updating(const std::string& bytes) {
    if (bytes.size() >= 12 && bytes.compare(0, 4, MAGIC, 4) == 0) {
        uint64_t end = 8 + uint64_t(get32(bytes.data() + 4)) * 4;
        if (end + 4 > bytes.size()) return std::nullopt;
        return decode_numbers(bytes, 8, size_t(end));
    }
    if (bytes.size() >= 12 && bytes.compare(0, 4, OLD_MAGIC, 4) == 0 && (bytes.size() - 8) % 4 == 0)
        return decode_numbers(bytes, 4, bytes.size() - 4);
    return std::nullopt;                                         // cleared, cut short or damaged
}

// The entry for `numbers` and the still unsynced updates.
std::string encode_entry(const std::vector<uint32_t>& numbers, const std::set<uint32_t>& unsynced) {
    std::string bytes(MAGIC, 4);
    put32(bytes, 0);   // the count, set below
    uint32_t count = 0;
    auto add = [&](uint32_t n) {
        put32(bytes, n);
        ++count;
    };
    for (uint32_t n : numbers) add(n);
    for (uint32_t n : unsynced)
        if (std::find(numbers.begin(), numbers.end(), n) == numbers.end()) add(n);
    std::string head;
    put32(head, count);
    bytes.replace(4, 4, head);
    put32(bytes, crc32(bytes));
    return bytes;
}

} // namespace

Result<std::optional<File>> SmbBase::Impl::note_updating(SmbBase& b, const std::vector<uint32_t>& numbers) {
    auto f = File::open(b.file("updating"), true);
    if (!f) return f.error();
    std::string bytes = encode_entry(numbers, b.unsynced_updates_);
    auto size = f->size();
    if (size && *size < KEEP_BYTES) bytes.resize(KEEP_BYTES, '\0');   // room kept for later updates
    auto st = f->write_at(0, bytes.data(), bytes.size());
    if (st) return std::optional<File>(std::move(*f));
    if (st.error().code != ErrorCode::DiskFull) return st.error();
    (void)f->write_at(0, CLEAR, 4);                              // a part-written entry must not be replayed
    notice(b.file("updating") + ": disk full, updating " + std::to_string(numbers.size()) +
           " message(s) without the update journal");
    return std::optional<File>();
}

void SmbBase::Impl::clear_updating(SmbBase& b, File& journal) {
    if (b.unsynced_updates_.empty()) {
        (void)journal.write_at(0, CLEAR, 4);
        return;
    }
    std::string bytes = encode_entry({}, b.unsynced_updates_);
    (void)journal.write_at(0, bytes.data(), bytes.size());   // written over the longer entry it replaces
}

Status SmbBase::Impl::repair_updating_locked(SmbBase& b, const BaseStatus& s) {
    auto f = File::open(b.file("updating"), false);
    if (!f) return {};                                           // never written: nothing pending
    auto size = f->size();
    if (!size || *size < 12) return {};
    std::string bytes(size_t(std::min<uint64_t>(*size, 1 << 24)), '\0');
    if (auto st = f->read_exact(0, bytes.data(), bytes.size()); !st) return st;
    auto numbers = decode_updating(bytes);
    if (!numbers) return {};
    // Our own unsynced updates are not a crashed writer's: their headers and
    // index records agree in the page cache, so they are not read again here.
    std::erase_if(*numbers, [&](uint32_t n) { return b.unsynced_updates_.count(n) != 0; });
    if (numbers->empty()) return {};
    bool email = s.attr & status_attr::EMAIL;
    for (uint32_t number : *numbers) {
        uint32_t pos = 0;
        auto idx = find_locked(b, s, number, &pos);
        if (!idx) continue;                                      // gone since: nothing to match
        auto h = read_header_unlocked(b, idx->offset);
        if (!h || h->number != number) continue;
        std::string want = encode_index(index_for(*h, email));
        if (want == encode_index(*idx)) continue;
        if (auto st = b.sid_.write_at(uint64_t(pos) * INDEX_LEN, want.data(), want.size()); !st) return st;
        index_changed(b);
    }
    // The numbers may be a live writer's unsynced updates (another handle or
    // process: issue #14's deferred sent marks), whose header and index
    // writes can still be only in the page cache. The entry is cleared only
    // once both files are on disk, repaired or not (second review, finding 2).
    if (b.opt_.durable) {
        if (auto st = b.shd_.sync(); !st) return st;
        if (auto st = b.sid_.sync(); !st) return st;
    }
    clear_updating(b, *f);
    return {};
}

} // namespace sbbs::smb
