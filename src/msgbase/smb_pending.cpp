// Writing the pending-add journal during an add, and applying it in
// recovery: a killed add's data counts and header blocks are given back when
// they are still exactly as the add left them, even if another writer has
// added messages since, and left alone (for --check-base to report as
// leaked space) when anything suggests another writer holds them. Design and the reason for a journal: pending_add.h.
#include "msgbase/smb_internal.h"

#include "msgbase/checksum.h"

#include <cstring>

namespace sbbs::smb {

namespace {

const char PENDING_ID[4] = {'S', 'H', 'D', '\0'};

// The header at `h`'s place is the one the add wrote there: our number and
// data offset under our pending or final id (a header the BBS later put in
// the same blocks differs in one of them).
bool header_is_ours(File& shd, const PendingHeader& h) {
    std::string fixed(FIXED_HEADER_LEN, '\0');
    auto n = shd.read_at(h.header_offset, fixed.data(), fixed.size());
    if (!n || *n < FIXED_HEADER_LEN || std::memcmp(fixed.data(), "SHD", 3) != 0) return false;
    if (fixed[3] != '\0' && fixed[3] != '\x1a') return false;
    std::memcpy(fixed.data(), "SHD\x1a", 4);
    uint16_t len = stored_header_length(fixed);
    std::string whole(len, '\0');
    auto m = shd.read_at(h.header_offset, whole.data(), whole.size());
    if (!m || *m < len) return false;
    std::memcpy(whole.data(), "SHD\x1a", 4);
    auto hdr = decode_header(whole);
    return hdr && hdr->number == h.number && hdr->offset == h.data_offset && !hdr->dfields.empty() == h.has_data;
}

// Data blocks the headers numbered since the journal was written reference,
// as [first, end) runs, skipping our own committed copies (their references
// are what `copies` counts). Only records past the journal's last_msg are
// read (the index is in number order), so the cost is bounded by what was
// added since; nullopt (reclaim nothing) when there are too many, or an
// index record or a header cannot be read.
//
// Why these headers are the only ones to check: the original's allocators
// (smb_allocdat, smb_fallocdat in smballoc.c; smb_hallocdat only in hyper
// bases, which keep no journal) only hand out blocks whose count is 0 or
// past the end of .sda, and smb_freemsgdat only lowers the counts of a
// header being deleted (one of our committed copies, whose deletion leaves
// counts not as written), so while our counts stand
// the BBS cannot allocate a block of our run itself; the one way it takes a
// reference to counted blocks it did not allocate is sharing an existing
// message's data (smb_incdat for a copy or forward, smb_addmsghdr with a
// given offset), and that always comes with a new header, numbered past our
// last_msg. Headers numbered before it were there before our add counted
// anything. A run the BBS allocated before our counts were written carries
// its counts but (checked by text_is_ours) not our text, unless it wrote the
// same bytes, in which case its header shows here once it is in the index.
using BlockRuns = std::vector<std::pair<uint32_t, uint32_t>>;
constexpr uint32_t MAX_HEADERS_SINCE = 4096;

std::optional<BlockRuns> referenced_since(SmbBase& b, File& sid, const BaseStatus& s, const PendingAdd& p,
                                          const std::vector<bool>& committed) {
    if (s.last_msg < p.last_msg) return std::nullopt;              // renumbered or recreated base
    auto sid_size = sid.size();
    if (!sid_size) return std::nullopt;
    uint64_t n = std::min<uint64_t>(s.total_msgs, *sid_size / INDEX_LEN);
    BlockRuns runs;
    for (uint64_t k = n, seen = 0; k > 0; --k) {
        char rec[INDEX_LEN];
        if (!sid.read_exact((k - 1) * INDEX_LEN, rec, INDEX_LEN)) return std::nullopt;
        IndexRecord r = decode_index(rec);
        if (r.number == 0) continue;                               // FMT-78: an unused record, skipped
        if (r.number <= p.last_msg) break;                         // sorted: all older from here
        if (++seen > MAX_HEADERS_SINCE) return std::nullopt;
        bool ours = false;
        for (size_t i = 0; i < p.headers.size() && !ours; ++i)
            ours = committed[i] && p.headers[i].number == r.number && p.headers[i].header_offset == r.offset;
        if (ours) continue;
        auto h = SmbBase::Impl::read_header_unlocked(b, r.offset);
        if (!h) return std::nullopt;
        uint64_t end = 0;
        for (auto& f : h->dfields) end = std::max<uint64_t>(end, uint64_t(f.offset) + f.length);
        if (end > 0)
            runs.emplace_back(h->offset / BLOCK_LEN, uint32_t((uint64_t(h->offset) + end + BLOCK_LEN - 1) / BLOCK_LEN));
    }
    return runs;
}

bool overlaps(const BlockRuns& refs, const PendingData& run) {
    for (auto& [first, end] : refs)
        if (first < run.first_block + run.blocks && run.first_block < end) return true;
    return false;
}

// The run's first and last blocks in .sdt still hold the text we wrote.
bool text_is_ours(File& sdt, const PendingData& run) {
    char block[BLOCK_LEN];
    auto crc_at = [&](uint32_t b) -> std::optional<uint32_t> {
        if (!sdt.read_exact(uint64_t(b) * BLOCK_LEN, block, BLOCK_LEN)) return std::nullopt;
        return crc32(std::string_view(block, BLOCK_LEN));
    };
    return run.blocks > 0 && crc_at(run.first_block) == run.first_crc &&
           crc_at(run.first_block + run.blocks - 1) == run.last_crc;
}

// Data counts of each run back to what its committed copies need.
Status reclaim_data(SmbBase& b, File& sdt, const PendingAdd& p, const std::vector<bool>& committed,
                    const BlockRuns& refs, bool durable) {
    if (p.data.empty()) return {};
    auto sda = SmbBase::Impl::open_table(b, "sda", true);
    if (!sda) return sda.error();
    for (auto& run : p.data) {
        uint32_t copies = 0;
        for (size_t i = 0; i < p.headers.size(); ++i)
            if (committed[i] && p.headers[i].has_data && p.headers[i].data_offset == run.first_block * BLOCK_LEN) ++copies;
        if (copies == run.copies) continue;
        bool as_written = uint64_t(run.first_block) + run.blocks <= sda->size();
        for (uint32_t k = 0; k < run.blocks && as_written; ++k)
            as_written = sda->get(run.first_block + k) == expected_count(run, run.first_block + k, run.copies);
        if (!as_written || !text_is_ours(sdt, run) || overlaps(refs, run)) continue;   // not (or no longer) ours alone
        for (uint32_t k = 0; k < run.blocks; ++k)
            sda->set(run.first_block + k, expected_count(run, run.first_block + k, copies));
    }
    if (auto st = sda->flush(); !st) return st;
    // FMT-69: free entries ending the table go, and .sdt follows.
    size_t keep = sda->size();
    while (keep > 0 && sda->get(keep - 1) == 0) --keep;
    if (keep < sda->size()) {
        if (auto st = sda->truncate_to(keep); !st) return st;
        auto sdt_size = sdt.size();
        if (sdt_size && *sdt_size > uint64_t(keep) * BLOCK_LEN)
            if (auto st = sdt.truncate(uint64_t(keep) * BLOCK_LEN); !st) return st;
    }
    return durable ? sda->file.sync() : Status{};
}

// Header blocks an uncommitted copy still holds in .sha (only once the index
// had them, which the original's roll-back of one record can undo). Sound
// whatever was added since: smb_allochdr only takes blocks counted 0, so
// while our counts stand the BBS cannot have put a header there, and a
// header it placed in those blocks before our counts (then ours could not
// be there) would be its own, either committed in the index under our
// number (so `committed`) or deleted again (counts 0: not `held`).
Status reclaim_headers(SmbBase& b, File& shd, const BaseStatus& s, const PendingAdd& p,
                       const std::vector<bool>& committed, bool durable) {
    std::optional<AllocTable> sha;
    for (size_t i = 0; i < p.headers.size(); ++i) {
        const PendingHeader& h = p.headers[i];
        if (committed[i] || h.header_offset < s.header_offset) continue;
        if (!sha) {
            auto t = SmbBase::Impl::open_table(b, "sha", false);
            if (!t) return t.error();
            sha = std::move(*t);
        }
        uint32_t first = (h.header_offset - s.header_offset) / BLOCK_LEN;
        bool held = h.blocks > 0 && uint64_t(first) + h.blocks <= sha->size();
        for (uint32_t k = 0; k < h.blocks && held; ++k) held = sha->get(first + k) == 1;
        if (!held || !header_is_ours(shd, h)) continue;
        if (auto st = shd.write_at(h.header_offset, PENDING_ID, 4); !st) return st;   // no header to chksmb
        for (uint32_t k = 0; k < h.blocks; ++k) sha->set(first + k, 0);
    }
    if (!sha) return {};
    if (durable)
        if (auto st = shd.sync(); !st) return st;
    if (auto st = sha->flush(); !st) return st;
    return durable ? sha->file.sync() : Status{};
}

} // namespace

Status SmbBase::Impl::note_pending(SmbBase& b, AddTxn& t) {
    if (t.hyper) return {};                                      // no tables to leak into
    if (!t.journal) {
        auto f = File::open(b.file("pending"), true);
        if (!f) return f.error();
        t.journal = std::move(*f);
    }
    std::string bytes = encode_pending(t.pending);
    return t.journal->write_at(0, bytes.data(), bytes.size());
}

void SmbBase::Impl::clear_pending(AddTxn& t) {
    if (t.journal) (void)t.journal->truncate(0);
}

Status SmbBase::Impl::reclaim_pending_locked(SmbBase& b, const BaseStatus& s) {
    auto f = File::open(b.file("pending"), false);
    if (!f) return {};                                           // never written: nothing pending
    auto size = f->size();
    if (!size || *size == 0) return {};
    std::string bytes(size_t(std::min<uint64_t>(*size, 1 << 24)), '\0');
    if (auto st = f->read_exact(0, bytes.data(), bytes.size()); !st) return st;
    auto p = decode_pending(bytes);
    if (p && !(s.attr & status_attr::HYPERALLOC)) {
        std::vector<bool> committed(p->headers.size());
        for (size_t i = 0; i < p->headers.size(); ++i) {
            auto idx = find_locked(b, s, p->headers[i].number, nullptr);
            committed[i] = idx && idx->offset == p->headers[i].header_offset && header_is_ours(b.shd_, p->headers[i]);
        }
        auto refs = referenced_since(b, b.sid_, s, *p, committed);
        if (!refs) return f->truncate(0);                          // left for --check-base to report
        if (auto st = reclaim_data(b, b.sdt_, *p, committed, *refs, b.opt_.durable); !st) return st;
        if (auto st = reclaim_headers(b, b.shd_, s, *p, committed, b.opt_.durable); !st) return st;
    }
    return f->truncate(0);
}

} // namespace sbbs::smb
