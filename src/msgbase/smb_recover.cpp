// Crash recovery, run under the base-header lock before every write and on
// open: rolls forward adds whose index records are on disk (see the design
// in smb_writer.cpp), gives back what a killed add of ours counted but never
// committed (the pending-add journal, smb_pending.cpp) and trims what an
// unfinished add left past the tables.
#include "msgbase/smb_internal.h"

#include "msgbase/hash_record.h"

#include <cstring>

namespace sbbs::smb {

namespace {

uint64_t size_of(const std::string& path) {
    auto f = File::open(path, false, true);
    if (!f) return 0;
    auto s = f->size();
    return s ? *s : 0;
}

bool has_id(const char* p, char last) { return std::memcmp(p, "SHD", 3) == 0 && p[3] == last; }

} // namespace

Status SmbBase::Impl::recover_locked(SmbBase& b, BaseStatus& s) {
    if (b.opt_.read_only || file_exists(b.file("lock"))) return {};
    bool hyper = s.attr & status_attr::HYPERALLOC;
    auto sid_size = b.sid_.size();
    if (!sid_size) return sid_size.error();
    uint64_t whole = *sid_size / INDEX_LEN;
    bool changed = false;
    if (*sid_size % INDEX_LEN) {                                  // torn record of an unfinished add
        if (auto st = b.sid_.truncate(whole * INDEX_LEN); !st) return st;
        index_changed(b);
    }
    if (whole > s.total_msgs) {                                   // committed, not finished: roll forward
        std::optional<AllocTable> sha;
        if (!hyper) {
            auto t = open_table(b, "sha", false);
            if (!t) return t.error();
            sha = std::move(*t);
        }
        for (uint64_t k = s.total_msgs; k < whole; ++k) {
            char rec[INDEX_LEN];
            if (!b.sid_.read_exact(k * INDEX_LEN, rec, INDEX_LEN)) break;
            IndexRecord r = decode_index(rec);
            if (r.number != s.last_msg + 1 || r.offset < s.header_offset) break;
            std::string fixed(FIXED_HEADER_LEN, '\0');
            auto n = b.shd_.read_at(r.offset, fixed.data(), fixed.size());
            if (!n || *n < FIXED_HEADER_LEN) break;
            if (!has_id(fixed.data(), '\0') && !has_id(fixed.data(), '\x1a')) break;
            std::memcpy(fixed.data(), "SHD\x1a", 4);
            uint16_t len = stored_header_length(fixed);
            std::string whole_hdr(len, '\0');
            auto m = b.shd_.read_at(r.offset, whole_hdr.data(), whole_hdr.size());
            if (!m || *m < len) break;
            std::memcpy(whole_hdr.data(), "SHD\x1a", 4);
            auto h = decode_header(whole_hdr);
            if (!h || h->number != r.number) break;
            if (sha) {
                uint32_t first = (r.offset - s.header_offset) / BLOCK_LEN;
                for (uint32_t i = 0; i < blocks_for(len); ++i) sha->set(first + i, 1);
                if (auto st = sha->flush(); !st) return st;
            }
            if (auto st = b.shd_.write_at(r.offset, "SHD\x1a", 4); !st) return st;
            s.last_msg = r.number;
            ++s.total_msgs;
            changed = true;
        }
        if (whole > s.total_msgs) {
            if (auto st = b.sid_.truncate(uint64_t(s.total_msgs) * INDEX_LEN); !st) return st;
            index_changed(b);
        }
        if (sha && b.opt_.durable)
            if (auto st = sha->file.sync(); !st) return st;
    } else if (whole < s.total_msgs) {
        if (s.total_msgs - whole > 2)
            return make_error(b.sid_.path() + ": index holds " + std::to_string(whole) + " records, status says " +
                                  std::to_string(s.total_msgs), ErrorCode::Corrupt);
        s.total_msgs = uint32_t(whole);                            // the original's auto-repair
        changed = true;
    }
    if (changed) {
        if (auto st = write_status(b, s); !st) return st;
        index_changed(b);                                          // records made live or dropped
        if (b.opt_.durable) {
            if (auto st = b.sid_.sync(); !st) return st;
            if (auto st = b.shd_.sync(); !st) return st;
        }
    }
    // Blocks a killed add of ours counted but never committed (issue #13).
    if (auto st = reclaim_pending_locked(b, s); !st) return st;
    if (auto st = repair_updating_locked(b, s); !st) return st;
    if (hyper) return {};
    // Header blocks past the end of .sha that hold no header: an add that
    // never reached its commit point appended them.
    auto shd_size = b.shd_.size();
    if (!shd_size) return shd_size.error();
    uint64_t sha_len = size_of(b.file("sha"));
    uint64_t hdr_end = uint64_t(s.header_offset) + sha_len * BLOCK_LEN;
    if (*shd_size > hdr_end) {
        bool garbage = true;
        for (uint64_t at = hdr_end; at < *shd_size && garbage; at += BLOCK_LEN) {
            char id[4] = {0, 0, 0, 0};
            auto n = b.shd_.read_at(at, id, 4);
            garbage = n && !has_id(id, '\x1a');
        }
        if (garbage) {
            auto sha = open_table(b, "sha", false);               // hold the table while cutting
            if (!sha) return sha.error();
            if (uint64_t(s.header_offset) + sha->size() * BLOCK_LEN == hdr_end)
                if (auto st = b.shd_.truncate(hdr_end); !st) return st;
        }
    }
    // Data blocks past the end of .sda (FMT-69 trims the same way).
    auto sdt_size = b.sdt_.size();
    if (!sdt_size) return sdt_size.error();
    uint64_t sda_entries = size_of(b.file("sda")) / 2;
    if (*sdt_size > sda_entries * BLOCK_LEN && (sda_entries > 0 || s.total_msgs == 0)) {
        auto sda = open_table(b, "sda", true);
        if (!sda) return sda.error();
        if (sda->size() == sda_entries)
            if (auto st = b.sdt_.truncate(sda_entries * BLOCK_LEN); !st) return st;
    }
    // Hash records of an add that never committed name numbers past last_msg.
    if (!(s.attr & (status_attr::EMAIL | status_attr::NOHASH | status_attr::FILE_DIRECTORY))) {
        uint64_t hsize = size_of(b.file("hash"));
        if (hsize >= HASH_LEN) {
            char last[HASH_LEN];
            auto hf = File::open(b.file("hash"), false, true);
            if (hf && hf->read_exact((hsize / HASH_LEN - 1) * HASH_LEN, last, HASH_LEN) &&
                decode_hash(last).number > s.last_msg) {
                auto f = open_locked(b, "hash");
                if (!f) return f.error();
                uint64_t keep = hsize / HASH_LEN;
                while (keep > 0) {
                    if (!f->read_exact((keep - 1) * HASH_LEN, last, HASH_LEN)) break;
                    if (decode_hash(last).number <= s.last_msg) break;
                    --keep;
                }
                if (auto st = f->truncate(keep * HASH_LEN); !st) return st;
            }
        }
    }
    return {};
}

Status SmbBase::recover() {
    std::lock_guard g(mu_);
    BaseStatus s;
    auto hl = Impl::begin_write(*this, s);
    if (!hl) return hl.error();
    return {};
}

} // namespace sbbs::smb
