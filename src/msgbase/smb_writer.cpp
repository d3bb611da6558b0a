// Adding messages to an SMB base the way the original does (FMT-89..91),
// ordered so that a crash at any instant leaves a consistent base.
//
// Durability design (issue #4 item 5). An add runs entirely under the
// base-header lock and writes in this order:
//   1. text into .sdt, then the block reference counts into .sda;
//   2. each header into .shd with a *pending* id "SHD\0" (not a header to
//      any reader or to chksmb: its blocks are still free in .sha);
//   3. fsync .sdt, .sda, .shd (and .hash/.sch when used), in parallel:
//      everything the index will point at is on disk before the index can be;
//   4. append the index records to .sid, fsync .sid       <- commit point;
//   5. mark the header blocks in .sha, fix the ids to "SHD\x1A", write
//      status (last_msg, total_msgs), fsync .sha and .shd, so that a base
//      left alone by us after add() returns is complete for the BBS too.
// A crash before step 4 leaves only free-marked garbage header blocks and
// data counts no header names (invisible, chksmb-clean); each message's run
// is written to the pending-add journal just before its counts, and the
// header places before the headers are, so recovery gives them back (issue
// #13, pending_add.h: only ours, never another writer's); a crash after it leaves index
// records beyond status.total_msgs that recover_locked() rolls forward (and
// that the original rolls back, FMT-89 step 11, when it gets there first).
//
// Group commit (add_batch, fed by CommitQueue): several messages, each with
// its own data run, go through the same steps as one transaction: step 1 for
// each, then steps 2..5 once for all their headers, so the batch shares each
// fsync. The index records of a batch are appended in one write before one
// fsync, so recovery sees all of them or a prefix, and rolls that forward:
// every message whose caller got a number is there exactly once. A message
// that is refused (duplicate, header too large) is dropped before any write;
// a failure before step 4 rolls the whole batch back.
//
// Step 5's fsync stays before the callers are answered. Without it the
// status block (shd offset 0) could reach the disk before the .sha bytes and
// the final ids of the same batch (the kernel writes pages back in any
// order); total_msgs would then cover index records whose headers still
// carry the pending id in blocks marked free: recovery (keyed on records
// beyond total_msgs) would not see them, the original's chksmb would report
// them and a later add could allocate over them. The fsync is paid once per
// batch, so it costs little once sessions share batches.
#include "msgbase/smb_internal.h"

#include "msgbase/checksum.h"
#include "msgbase/hash_record.h"
#include "msgbase/index_tally.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <thread>

namespace sbbs::smb {

namespace {

const char PENDING_ID[4] = {'S', 'H', 'D', '\0'};
const char HEADER_ID[4] = {'S', 'H', 'D', '\x1a'};

const char ZEROS[BLOCK_LEN] = {};

// A message's data run as the pieces written to .sdt one after another: per
// field its translation list and its text as the caller lent it, then zeros
// up to the block size. The text is never copied into a buffer of its own
// (SEC-11): a 20 MiB body is held once, by whoever received it.
struct DataRun {
    std::vector<DataField> dfields;
    std::vector<std::string_view> pieces;
    uint64_t length = 0;                          // padded to blocks
};

DataRun build_data(const NewMessage& m) {       // FMT-45, FMT-50, FMT-89 step 6
    DataRun d;
    TextPieces tail(m.tail);
    uint64_t used = 0;
    for (auto [type, text] : {std::pair{dfield::TEXT_BODY, &m.body}, {dfield::TEXT_TAIL, &tail}}) {
        if (text->empty()) continue;
        d.dfields.push_back({type, uint32_t(used), uint32_t(text->size() + 2)});
        d.pieces.push_back({ZEROS, 2});           // XLAT_NONE
        d.pieces.insert(d.pieces.end(), text->pieces().begin(), text->pieces().end());
        used += text->size() + 2;
    }
    d.length = uint64_t(blocks_for(used)) * BLOCK_LEN;
    if (d.length > used) d.pieces.push_back({ZEROS, size_t(d.length - used)});
    return d;
}

// Writes `pieces` one after another from `offset`. Short pieces are gathered
// first, so a small message still costs one write; long ones go as they are.
Status write_pieces(File& f, uint64_t offset, const std::vector<std::string_view>& pieces) {
    constexpr size_t GATHER = 64 * 1024;
    std::string gathered;
    auto write = [&](std::string_view p) {
        Status st = f.write_at(offset, p.data(), p.size());
        offset += p.size();
        return st;
    };
    for (auto p : pieces) {
        if (gathered.size() + p.size() > GATHER && !gathered.empty()) {
            if (auto st = write(gathered); !st) return st;
            gathered.clear();
        }
        if (p.size() >= GATHER) {
            if (auto st = write(p); !st) return st;
        } else {
            gathered += p;
        }
    }
    return gathered.empty() ? Status{} : write(gathered);
}

// CRC-32 of bytes [from, from + n) of the pieces written one after another.
uint32_t crc_of(const std::vector<std::string_view>& pieces, uint64_t from, uint64_t n) {
    uint32_t crc = 0;
    uint64_t at = 0;
    for (auto p : pieces) {
        uint64_t end = at + p.size();
        if (end > from && at < from + n) {
            uint64_t lo = std::max(at, from), hi = std::min(end, from + n);
            crc = crc32(p.substr(size_t(lo - at), size_t(hi - lo)), crc);
        }
        at = end;
    }
    return crc;
}

// Adds k references for every block of every field (FMT-68 per-field counting).
void add_refs(AllocTable& sda, uint32_t offset, const std::vector<DataField>& dfields, uint16_t k) {
    for (auto& d : dfields) {
        uint32_t first = (offset + d.offset) / BLOCK_LEN;
        for (uint32_t i = 0; i < blocks_for(d.length); ++i) {
            uint32_t e = first + i;
            sda.set(e, uint16_t(sda.get(e) + k));
        }
    }
}

// fdatasync of several files at once: the journal can commit them together,
// so a durable add costs about two fsync latencies rather than six.
Status sync_together(std::initializer_list<File*> files) {
    std::vector<File*> fs;
    for (File* f : files)
        if (f) fs.push_back(f);
    std::vector<Status> results(fs.size());
    std::vector<std::thread> helpers;
    for (size_t i = 1; i < fs.size(); ++i) helpers.emplace_back([&, i] { results[i] = fs[i]->sync(); });
    if (!fs.empty()) results[0] = fs[0]->sync();
    for (auto& h : helpers) h.join();
    for (auto& r : results)
        if (!r) return r;
    return {};
}

// `zone`: local_time(now)'s offset, worked out once per message, not per copy.
void normalise_new_header(MessageHeader& h, uint32_t number, uint32_t now, int16_t zone) {
    h.number = number;
    h.version = FORMAT_VERSION;                   // FMT-129: only in headers we create
    h.attr &= uint16_t(~attr::DELETE);
    h.type = type_for_attr(h.attr);
    if (h.thread_id == 0) h.thread_id = number;
    if (h.when_imported_time == 0) {
        h.when_imported_time = now;
        h.when_imported_zone = zone;
    }
    if (h.when_written.time == 0) h.when_written = when_from_unix(h.when_imported_time);
}

} // namespace

namespace {

// Header writes at adjacent offsets merged into one write each, so a batch
// of many headers (100 recipients x 20 messages) costs a few system calls
// rather than two per header. Each header keeps its own step hook call.
struct HeaderRuns {
    struct Run {
        uint64_t offset;
        std::string bytes;
        std::vector<size_t> starts;               // where each header begins in bytes
    };
    std::vector<Run> runs;

    void add(uint64_t offset, const std::string& header) {
        if (runs.empty() || runs.back().offset + runs.back().bytes.size() != offset) runs.push_back({offset, {}, {}});
        runs.back().starts.push_back(runs.back().bytes.size());
        runs.back().bytes += header;
    }
    void set_ids(const char id[4]) {
        for (auto& r : runs)
            for (size_t at : r.starts) std::memcpy(r.bytes.data() + at, id, 4);
    }
    Status write(SmbBase& b, File& f, const char* step) {
        for (auto& r : runs) {
            if (auto st = f.write_at(r.offset, r.bytes.data(), r.bytes.size()); !st) return st;
            for (size_t k = 0; k < r.starts.size(); ++k) SmbBase::Impl::step(b, step);
        }
        return {};
    }
};

} // namespace

uint64_t AddTxn::current(File& f) { auto s = f.size(); return s ? *s : 0; }

Status AddTxn::rollback(File& sdt, File& shd) {
    if (sda) sda->undo();
    if (sha) sha->undo();
    if (current(sdt) > sdt_size) (void)sdt.truncate(sdt_size);
    if (current(shd) > shd_size) (void)shd.truncate(shd_size);
    if (hash_file) (void)hash_file->truncate(hash_size);
    if (sch_file) (void)sch_file->truncate(sch_size);
    SmbBase::Impl::clear_pending(*this);          // after the counts are restored
    return {};
}

Result<RangeLock> SmbBase::Impl::begin_write(SmbBase& b, BaseStatus& s) {
    if (b.opt_.read_only) return make_error(b.prefix_ + ": opened read-only", ErrorCode::Denied);
    if (auto st = wait_for_lockfile(b); !st) return st.error();                   // FMT-84
    auto hl = lock_base_header(b);   // FMT-80; Stale if a pack replaced the base meanwhile
    if (!hl) return hl.error();
    auto st = read_status(b);                                                     // FMT-16
    if (!st) return st.error();
    s = *st;
    if (auto r = recover_locked(b, s); !r) return r.error();
    return hl;
}

namespace {

// Data for a new message: allocate, write text, then counts (steps 1).
Status store_data(SmbBase& b, AddTxn& t, File& sdt, DataRun& d, uint32_t copies, AllocMode mode, uint32_t& offset) {
    if (d.dfields.empty()) { offset = 0; return {}; }            // FMT-30
    uint32_t blocks = blocks_for(d.length);
    if (t.hyper) {                                               // FMT-67
        offset = uint32_t(blocks_for(AddTxn::current(sdt)) * BLOCK_LEN);   // after the batch's earlier ones
    } else {
        offset = t.sda->find_run(blocks, mode) * BLOCK_LEN;      // FMT-65/66
    }
    if (auto st = write_pieces(sdt, offset, d.pieces); !st) return st;
    SmbBase::Impl::step(b, "data");
    if (!t.hyper) {
        // Journaled before the counts (pending_add.h), with our text's
        // fingerprint, so no kill can leave counts the journal does not name.
        t.pending.data.push_back({offset / BLOCK_LEN, blocks, uint16_t(copies), d.dfields,
                                  crc_of(d.pieces, 0, BLOCK_LEN), crc_of(d.pieces, d.length - BLOCK_LEN, BLOCK_LEN)});
        if (auto st = SmbBase::Impl::note_pending(b, t); !st) return st;
        SmbBase::Impl::step(b, "journal");
        for (uint32_t i = 0; i < blocks; ++i) t.sda->set(offset / BLOCK_LEN + i, 1);
        if (copies > 1) add_refs(*t.sda, offset, d.dfields, uint16_t(copies - 1));   // FMT-91
        if (auto st = t.sda->flush(); !st) return st;
        SmbBase::Impl::step(b, "sda");
    }
    return {};
}

} // namespace


namespace {

// One header per copy, numbered from `first` (FMT-89 step 8 thread inheritance included).
std::vector<MessageHeader> headers_for(SmbBase& b, const BaseStatus& s, const SmbBase::AddRequest& r,
                                       uint32_t first, uint32_t now) {
    const NewMessage& msg = *r.msg;
    std::vector<RecipientCopy> one(1);
    const std::vector<RecipientCopy>& copies = r.copies && !r.copies->empty() ? *r.copies : one;
    std::vector<MessageHeader> hdrs;
    hdrs.reserve(copies.size());
    MessageHeader common = msg.hdr;                              // its fields go into each copy below
    common.fields.clear();
    auto zone = int16_t(local_time(now).utc_offset_min);
    for (size_t i = 0; i < copies.size(); ++i) {
        MessageHeader& h = hdrs.emplace_back(common);
        h.fields.reserve(copies[i].prepend.size() + msg.hdr.fields.size() + copies[i].append.size());
        h.fields = copies[i].prepend;
        h.fields.insert(h.fields.end(), msg.hdr.fields.begin(), msg.hdr.fields.end());
        h.fields.insert(h.fields.end(), copies[i].append.begin(), copies[i].append.end());
        normalise_new_header(h, first + uint32_t(i), now, zone);
    }
    if (!hdrs[0].thread_back) return hdrs;
    uint32_t pos;
    auto pidx = SmbBase::Impl::find_locked(b, s, hdrs[0].thread_back, &pos);
    if (!pidx) return hdrs;
    auto parent = SmbBase::Impl::read_header_unlocked(b, pidx->offset);
    if (!parent) return hdrs;
    for (auto& h : hdrs) {
        if (msg.hdr.thread_id == 0 && parent->thread_id) h.thread_id = parent->thread_id;
        auto pid = parent->last(hf::RFC822MSGID);
        if (pid && !h.last(hf::RFC822REPLYID)) h.add(hf::RFC822REPLYID, *pid);
    }
    return hdrs;
}

// A message whose headers cannot be stored is refused alone, before any write.
Status encodable(const std::vector<MessageHeader>& hdrs) {
    for (auto& h : hdrs)
        if (auto st = header_fits(h); !st) return st;
    return {};
}

// The dupe lists (.hash records, .sch CRCs) as read under their file locks,
// grown in memory by each message of the batch so that the batch's own
// messages are checked against each other too.
struct DupeLists {
    bool hashed = false, crcs = false;
    std::string hashes, added_hashes;             // whole file; records to append
    std::string sch;                              // whole file plus the batch's CRCs
};

Status open_dupe_lists(SmbBase& b, BaseStatus& s, AddTxn& t, bool dupe_check, DupeLists& d) {
    d.hashed = !(s.attr & (status_attr::EMAIL | status_attr::NOHASH | status_attr::FILE_DIRECTORY));
    if (d.hashed) {                                             // FMT-89 steps 3, 9; FMT-102
        auto f = SmbBase::Impl::open_locked(b, "hash");
        if (!f) return f.error();
        t.hash_file = std::move(*f);
        t.hash_size = AddTxn::current(*t.hash_file);
        d.hashes.assign(size_t(t.hash_size / HASH_LEN) * HASH_LEN, '\0');
        if (auto st = t.hash_file->read_exact(0, d.hashes.data(), d.hashes.size()); !st) return st;
    }
    d.crcs = s.max_crcs > 0 && dupe_check;
    if (d.crcs) {                                               // FMT-103
        auto f = SmbBase::Impl::open_locked(b, "sch");
        if (!f) return f.error();
        t.sch_file = std::move(*f);
        t.sch_size = AddTxn::current(*t.sch_file);
        if (t.sch_size % 4) return make_error(b.file("sch") + ": length not a multiple of 4", ErrorCode::Corrupt);
        d.sch.assign(t.sch_size, '\0');
        if (auto st = t.sch_file->read_exact(0, d.sch.data(), d.sch.size()); !st) return st;
    }
    return {};
}

// FMT-103: the CRC-32 of the body without its trailing white space and
// control characters, computed over the pieces as they are.
uint32_t trimmed_body_crc(const TextPieces& body) {
    size_t keep = body.size();
    for (auto p = body.pieces().rbegin(); p != body.pieces().rend(); ++p) {
        size_t n = p->size();
        while (n && uint8_t((*p)[n - 1]) <= 0x20) --n;
        keep -= p->size() - n;
        if (n) break;
    }
    uint32_t crc = 0;
    for (auto p : body.pieces()) {
        if (!keep) break;
        std::string_view part = p.substr(0, keep);
        crc = crc32(part, crc);
        keep -= part.size();
    }
    return crc;
}

// Checks one message against the lists and, when it is new, adds it to them.
Status claim_unique(const std::string& prefix, bool dupe_check, DupeLists& d, const MessageHeader& first,
                    const NewMessage& msg, uint32_t now) {
    std::vector<HashRecord> mine;
    if (d.hashed) {                               // sub-boards only: the mail base is never hashed
        mine = message_hashes(first, msg.body, now);
        if (dupe_check)
            for (const std::string* list : {&d.hashes, &d.added_hashes})
                for (size_t i = 0; i < list->size(); i += HASH_LEN) {
                    HashRecord old = decode_hash(list->data() + i);
                    for (auto& h : mine)
                        if (same_hash(old, h))
                            return make_error(prefix + ": duplicate message (matches message " +
                                                  std::to_string(old.number) + ")", ErrorCode::Invalid);
                }
    }
    uint32_t crc = 0;
    if (d.crcs) {
        crc = trimmed_body_crc(msg.body);
        for (size_t i = 0; i < d.sch.size(); i += 4)
            if (get32(d.sch.data() + i) == crc)
                return make_error(prefix + ": duplicate message body", ErrorCode::Invalid);
    }
    for (auto& h : mine) d.added_hashes += encode_hash(h);
    if (d.crcs) put32(d.sch, crc);
    return {};
}

// Appends the batch's hash records; rewrites .sch keeping the newest max_crcs.
Status write_dupe_lists(SmbBase& b, const BaseStatus& s, AddTxn& t, const DupeLists& d) {
    if (d.hashed && !d.added_hashes.empty()) {
        if (auto st = t.hash_file->write_at(d.hashes.size(), d.added_hashes.data(), d.added_hashes.size()); !st)
            return st;
        SmbBase::Impl::step(b, "hash");
    }
    if (d.crcs && d.sch.size() > t.sch_size) {
        size_t keep = std::min(d.sch.size(), size_t(s.max_crcs) * 4);
        if (keep < d.sch.size()) {
            if (auto st = t.sch_file->truncate(0); !st) return st;
            return t.sch_file->write_at(0, d.sch.data() + (d.sch.size() - keep), keep);
        }
        return t.sch_file->write_at(t.sch_size, d.sch.data() + t.sch_size, d.sch.size() - t.sch_size);
    }
    return {};
}

} // namespace

Result<std::vector<uint32_t>> SmbBase::add(const NewMessage& msg, const std::vector<RecipientCopy>& copies) {
    auto r = add_batch({AddRequest{&msg, &copies}});
    return std::move(r.front());
}

std::vector<Result<std::vector<uint32_t>>> SmbBase::add_batch(const std::vector<AddRequest>& reqs) {
    std::vector<Result<std::vector<uint32_t>>> out(reqs.size(), make_error("not stored"));
    std::vector<bool> refused(reqs.size());      // has its own error, not the batch's
    auto fail_all = [&](const Error& e) {
        for (size_t i = 0; i < out.size(); ++i)
            if (!refused[i]) out[i] = e;
        return out;
    };
    if (reqs.empty()) return out;
    std::lock_guard g(mu_);
    BaseStatus s;
    auto hl = Impl::begin_write(*this, s);
    if (!hl) return fail_all(hl.error());
    uint32_t now = unix_time_now();
    AddTxn t(s, (s.attr & status_attr::HYPERALLOC) != 0);
    t.sdt_size = AddTxn::current(sdt_);
    t.shd_size = AddTxn::current(shd_);
    auto fail = [&](const Error& e) {
        sda_hint_.forget();                                     // the table goes back as it was
        (void)t.rollback(sdt_, shd_);
        return fail_all(e);
    };
    DupeLists dupes;
    if (auto st = open_dupe_lists(*this, s, t, opt_.dupe_check, dupes); !st) return fail(st.error());

    // Each request's headers, numbered in order over the accepted ones only.
    struct Accepted { size_t req; std::vector<MessageHeader> hdrs; };
    std::vector<Accepted> accepted;
    uint32_t next = s.last_msg + 1;
    for (size_t i = 0; i < reqs.size(); ++i) {
        auto hdrs = headers_for(*this, s, reqs[i], next, now);
        Status ok = encodable(hdrs);
        if (ok) ok = claim_unique(prefix_, opt_.dupe_check, dupes, hdrs[0], *reqs[i].msg, now);
        if (!ok) {
            out[i] = ok.error();
            refused[i] = true;
            continue;
        }
        next += uint32_t(hdrs.size());
        accepted.push_back({i, std::move(hdrs)});
    }
    if (accepted.empty()) return out;
    if (auto st = write_dupe_lists(*this, s, t, dupes); !st) return fail(st.error());
    std::vector<DataRun> data;
    uint32_t shortest = UINT32_MAX;                             // the fewest blocks any message asks for
    for (auto& a : accepted) {
        data.push_back(build_data(*reqs[a.req].msg));
        if (!data.back().dfields.empty()) shortest = std::min(shortest, blocks_for(data.back().length));
    }
    if (!t.hyper) {
        auto sda = Impl::open_alloc_table(*this, "sda", true, sda_hint_, shortest);   // FMT-71, FMT-83
        if (!sda) return fail(sda.error());
        t.sda = std::move(*sda);
        t.sda->begin_undo();
    }
    std::vector<MessageHeader> all;
    for (size_t k = 0; k < accepted.size(); ++k) {
        auto& a = accepted[k];
        DataRun& d = data[k];
        uint32_t offset = 0;
        if (auto st = store_data(*this, t, sdt_, d, uint32_t(a.hdrs.size()), opt_.alloc, offset); !st)
            return fail(st.error());
        for (auto& h : a.hdrs) {
            h.offset = offset;
            h.dfields = d.dfields;
            all.push_back(h);
        }
    }
    auto numbers = Impl::commit_headers(*this, t, all);
    if (!numbers) return fail_all(numbers.error());             // rolled back by commit_headers
    if (t.sda) Impl::learn_table(*this, sda_hint_, *t.sda);
    size_t k = 0;
    for (auto& a : accepted) {
        out[a.req] = std::vector<uint32_t>(numbers->begin() + long(k), numbers->begin() + long(k + a.hdrs.size()));
        k += a.hdrs.size();
        if (a.hdrs[0].thread_back) Impl::link_reply(*this, s, a.hdrs[0]);
    }
    return out;
}

namespace {

// Step 5 for headers whose index records are durable; `runs` hold them with their final ids.
Status finish_headers(SmbBase& b, File& shd, bool durable, AddTxn& t, const std::vector<MessageHeader>& hdrs,
                      const std::vector<uint32_t>& first_block, HeaderRuns& runs) {
    BaseStatus& s = t.status;
    if (!t.hyper) {
        for (size_t i = 0; i < hdrs.size(); ++i) {
            uint32_t blocks = blocks_for(computed_header_length(hdrs[i]));
            for (uint32_t k = 0; k < blocks; ++k) t.sha->set(first_block[i] + k, 1);
        }
        if (auto st = t.sha->flush(); !st) return st;
    }
    SmbBase::Impl::step(b, "sha");
    if (auto st = runs.write(b, shd, "id"); !st) return st;
    BaseStatus done = s;
    done.last_msg += uint32_t(hdrs.size());
    done.total_msgs += uint32_t(hdrs.size());
    if (auto st = SmbBase::Impl::write_status(b, done); !st) return st;
    s = done;
    SmbBase::Impl::step(b, "status");
    if (durable)
        if (auto st = sync_together({t.sha ? &t.sha->file : nullptr, &shd}); !st) return st;
    SmbBase::Impl::step(b, "done");
    return {};
}

} // namespace

// Steps 2..5 for headers whose data is already stored and counted.
Result<std::vector<uint32_t>> SmbBase::Impl::commit_headers(SmbBase& b, AddTxn& t, std::vector<MessageHeader>& hdrs) {
    File &shd = b.shd_, &sid = b.sid_, &sdt = b.sdt_;
    AllocMode mode = b.opt_.alloc;
    bool durable = b.opt_.durable;
    BaseStatus& s = t.status;
    auto fail = [&](Error e) -> Error {
        b.sda_hint_.forget();                                    // the tables go back as they were
        b.sha_hint_.forget();
        (void)t.rollback(sdt, shd);
        return e;
    };
    std::vector<std::string> encoded;
    uint32_t shortest = UINT32_MAX;                              // the fewest blocks any header needs
    for (auto& h : hdrs) {
        auto bytes = encode_header(h);                           // header_offset is not in the bytes
        if (!bytes) return fail(bytes.error());
        shortest = std::min(shortest, uint32_t(bytes->size() / BLOCK_LEN));
        encoded.push_back(std::move(*bytes));
    }
    if (!t.hyper) {
        auto sha = Impl::open_alloc_table(b, "sha", false, b.sha_hint_, shortest);
        if (!sha) return fail(sha.error());
        t.sha = std::move(*sha);
        t.sha->begin_undo();
    }
    // Step 2: headers with the pending id, in blocks still free in .sha.
    std::vector<uint32_t> first_block(hdrs.size());
    std::vector<std::pair<uint32_t, uint32_t>> reserved;         // (first block, blocks) taken in memory
    size_t sha_entries = t.sha ? t.sha->size() : 0;
    HeaderRuns runs;
    uint64_t end = AddTxn::current(shd);                      // hyper: headers go after the file's end
    for (size_t i = 0; i < hdrs.size(); ++i) {
        auto& h = hdrs[i];
        std::string& bytes = encoded[i];
        uint32_t blocks = uint32_t(bytes.size() / BLOCK_LEN);
        uint32_t block;
        if (t.hyper) {
            block = uint32_t((std::max<uint64_t>(end, s.header_offset) - s.header_offset + BLOCK_LEN - 1) / BLOCK_LEN);
            end = s.header_offset + uint64_t(block + blocks) * BLOCK_LEN;
        } else {
            block = t.sha->find_run(blocks, mode);
            t.sha->hold(block, blocks);                          // reserved in memory only
            reserved.push_back({block, blocks});
        }
        first_block[i] = block;
        h.header_offset = s.header_offset + block * BLOCK_LEN;
        std::memcpy(bytes.data(), PENDING_ID, 4);
        runs.add(h.header_offset, bytes);
    }
    for (size_t i = 0; i < hdrs.size(); ++i)
        t.pending.headers.push_back({hdrs[i].number, hdrs[i].header_offset, blocks_for(computed_header_length(hdrs[i])),
                                     hdrs[i].offset, !hdrs[i].dfields.empty()});
    if (auto st = Impl::note_pending(b, t); !st) return fail(st.error());
    if (auto st = runs.write(b, shd, "header"); !st) return fail(st.error());
    if (!t.hyper) {                                               // the reservation is not written yet
        for (auto [block, blocks] : reserved) t.sha->release(block, blocks);   // free before (find_run)
        t.sha->shrink_to(sha_entries);
    }
    // Step 3: everything the index will point at reaches the disk first.
    if (durable)
        if (auto st = sync_together({&sdt, &shd, t.sda ? &t.sda->file : nullptr, t.hash_file ? &*t.hash_file : nullptr,
                                     t.sch_file ? &*t.sch_file : nullptr});
            !st)
            return fail(st.error());
    Impl::step(b, "synced");
    // Step 4: the commit point.
    std::vector<IndexRecord> records;
    std::string recs;
    bool email = s.attr & status_attr::EMAIL;
    for (auto& h : hdrs) {
        records.push_back(index_for(h, email));
        recs += encode_index(records.back());
    }
    auto before = Impl::begin_index_append(b);
    auto index_failed = [&](Error e) -> Error {
        (void)sid.truncate(uint64_t(s.total_msgs) * INDEX_LEN);
        if (b.tally_) b.tally_->changed();
        return fail(std::move(e));
    };
    if (auto st = sid.write_at(uint64_t(s.total_msgs) * INDEX_LEN, recs.data(), recs.size()); !st)
        return index_failed(st.error());
    Impl::step(b, "index");
    if (durable)
        if (auto st = sid.sync(); !st) return index_failed(st.error());
    Impl::step(b, "index-synced");
    // Step 5: finish. The messages are stored from here on: a failure leaves
    // the base for recovery to complete (status is written after the table
    // and ids, so its old total_msgs makes recovery roll these forward; the
    // next write's begin_write runs that recovery), and the callers get their
    // numbers, not an error that would make a sender deliver it again.
    std::vector<uint32_t> numbers;
    for (auto& h : hdrs) numbers.push_back(h.number);
    runs.set_ids(HEADER_ID);
    bool finished = bool(finish_headers(b, shd, durable, t, hdrs, first_block, runs));
    if (finished) Impl::clear_pending(t);
    // Only now does the status count them (a pass before this would not).
    Impl::end_index_append(b, before, finished ? &records : nullptr);
    if (finished && t.sha) Impl::learn_table(b, b.sha_hint_, *t.sha);
    else b.sha_hint_.forget();
    return numbers;
}

} // namespace sbbs::smb
