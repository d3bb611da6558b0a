// Opening, creating and reading an SMB base, with the original's retried
// locks (FMT-79..86) around every access that needs one.
#include "msgbase/smb_internal.h"

#include "msgbase/index_tally.h"

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cstdio>

namespace sbbs::smb {

SmbBase::SmbBase(std::string prefix, BaseOptions opt)
    : prefix_(std::move(prefix)), opt_(opt),
      rng_(uint32_t(monotonic_ms()) ^ uint32_t(reinterpret_cast<uintptr_t>(this))),
      clock_([] { return monotonic_ms(); }) {}

SmbBase::~SmbBase() = default;

bool SmbBase::files_at_path() const {
    return shd_.still_at_path() && sdt_.still_at_path() && sid_.still_at_path();
}

void SmbBase::Impl::pause(SmbBase& b, unsigned attempt) {
    uint32_t delay = b.opt_.retry_delay_ms;
    if (delay > b.opt_.retry_time_s * 100) delay = 100;                 // FMT-82
    uint32_t ms = (attempt / 10) * (delay / 2) + (delay ? uint32_t(b.rng_() % (delay + 1)) : 0);
    sleep_ms(ms);
}

Result<RangeLock> SmbBase::Impl::lock(SmbBase& b, File& f, uint64_t off, uint64_t len, const std::string& what) {
    uint64_t start = monotonic_ms();
    for (unsigned attempt = 0;; ++attempt) {
        auto r = f.try_lock(off, len);
        if (!r) return r.error();
        if (*r) return RangeLock(&f, off, len);
        if (monotonic_ms() - start >= uint64_t(b.opt_.retry_time_s) * 1000)
            return make_error(f.path() + ": timeout locking " + what, ErrorCode::Locked);
        pause(b, attempt);
    }
}

Result<RangeLock> SmbBase::Impl::lock_base_header(SmbBase& b) {
    auto hl = lock(b, b.shd_, 0, BASE_HEADER_LEN, "base header");
    if (!hl) return hl.error();
    if (!b.files_at_path())
        return make_error(b.prefix_ + ": base replaced while waiting for its lock", ErrorCode::Stale);
    return hl;
}

Result<File> SmbBase::Impl::open_locked(SmbBase& b, const char* ext) {
    std::string path = b.file(ext);
    uint64_t start = monotonic_ms();
    for (unsigned attempt = 0;; ++attempt) {
        auto f = File::open(path, true);
        if (f) {
            auto r = f->try_lock(0, 0);
            if (!r) return r.error();
            if (*r) return f;
        } else if (f.error().code != ErrorCode::Locked) {
            return f.error();                     // FMT-82: only sharing errors are retried
        }
        if (monotonic_ms() - start >= uint64_t(b.opt_.retry_time_s) * 1000)
            return make_error(path + ": timeout opening with exclusive lock", ErrorCode::Locked);
        pause(b, attempt);
    }
}

Result<AllocTable> SmbBase::Impl::open_table(SmbBase& b, const char* ext, bool wide) {
    auto t = open_table_unread(b, ext, wide);
    if (!t) return t.error();
    if (auto st = t->load(0); !st) return st.error();
    return t;
}

Result<AllocTable> SmbBase::Impl::open_table_unread(SmbBase& b, const char* ext, bool wide) {
    auto f = open_locked(b, ext);
    if (!f) return f.error();
    AllocTable t;
    t.file = std::move(*f);
    t.wide = wide;
    return t;
}

Result<AllocTable> SmbBase::Impl::open_alloc_table(SmbBase& b, const char* ext, bool wide, const AllocHint& hint,
                                                   uint32_t shortest) {
    auto t = open_table_unread(b, ext, wide);
    if (!t) return t.error();
    size_t from = SIZE_MAX;                                      // fast mode appends: nothing to scan
    if (b.opt_.alloc != AllocMode::Fast) {
        auto stamp = stamp_of(t->file.path());                   // under the whole-file lock: no writer now
        from = stamp ? hint.scan_from(shortest, *stamp, b.clock_()) : 0;
    }
    if (auto st = t->load(from); !st) return st.error();
    return t;
}

void SmbBase::assume_tables_unchanged_for_test() {
    if (auto s = stamp_of(file("sda"))) sda_hint_.assume_unchanged_for_test(*s);
    if (auto s = stamp_of(file("sha"))) sha_hint_.assume_unchanged_for_test(*s);
}

void SmbBase::Impl::learn_table(SmbBase& b, AllocHint& hint, const AllocTable& table) {
    auto stamp = stamp_of(table.file.path());                    // still under its lock: our write is the last
    if (b.opt_.alloc == AllocMode::Fast || !stamp) return hint.forget();
    hint.learn(table, *stamp, b.clock_());
}

Status SmbBase::Impl::wait_for_lockfile(SmbBase& b) {
    uint64_t start = monotonic_ms();
    for (unsigned attempt = 0; file_exists(b.file("lock")); ++attempt) {
        if (monotonic_ms() - start >= uint64_t(b.opt_.retry_time_s) * 1000)
            return make_error(b.file("lock") + ": base is locked for maintenance", ErrorCode::Locked);
        pause(b, attempt);
    }
    return {};
}

Result<BaseStatus> SmbBase::Impl::read_status(SmbBase& b) {
    char buf[BASE_HEADER_LEN];
    auto n = b.shd_.read_at(0, buf, sizeof buf);
    if (!n) return n.error();
    return decode_base_header(std::string_view(buf, *n), b.shd_.path());
}

Status SmbBase::Impl::write_status(SmbBase& b, const BaseStatus& s) {
    std::string bytes = encode_base_header(s);
    return b.shd_.write_at(0, bytes.data(), bytes.size());
}

namespace {

// FMT-10 on already open files (the caller holds the base-header lock).
Status write_new_base(const std::string& prefix, File& shd, File& sdt, File& sid, const BaseStatus& status) {
    BaseStatus s = status;
    s.version = FORMAT_VERSION;
    s.last_msg = s.total_msgs = 0;
    s.header_offset = BASE_HEADER_LEN;
    std::string bytes = encode_base_header(s);
    if (auto st = shd.truncate(BASE_HEADER_LEN); !st) return st;
    if (auto st = shd.write_at(0, bytes.data(), bytes.size()); !st) return st;
    for (File* f : {&sdt, &sid}) {
        if (auto st = f->truncate(0); !st) return st;
        if (auto st = f->sync(); !st) return st;
    }
    for (const char* ext : {"sda", "sha", "sch", "hash"})
        if (auto st = remove_file(prefix + "." + ext); !st) return st;
    char ini[64];
    std::snprintf(ini, sizeof ini, "Created = 0x%" PRIx32 "\n", unix_time_now());      // FMT-9
    auto inif = File::open(prefix + ".ini", true);
    if (!inif) return inif.error();
    if (auto st = inif->truncate(0); !st) return st;
    if (auto st = inif->write_at(0, ini, std::char_traits<char>::length(ini)); !st) return st;
    return shd.sync();
}

// A creation cut short (disk full) must not leave a .shd of zeros behind:
// every later open would call it "not an SMB message base" and refuse all
// mail for good. An empty .shd is created afresh by the next open (FMT-7).
Status init_files(const std::string& prefix, File& shd, File& sdt, File& sid, const BaseStatus& status) {
    Status st = write_new_base(prefix, shd, sdt, sid, status);
    if (!st) (void)shd.truncate(0);
    return st;
}

} // namespace

Status SmbBase::create(const std::string& prefix, const BaseStatus& status) {
    BaseOptions opt;
    opt.create = true;
    opt.create_status = status;
    SmbBase b(prefix, opt);
    for (auto [f, ext] : {std::pair{&b.shd_, "shd"}, {&b.sdt_, "sdt"}, {&b.sid_, "sid"}}) {
        auto r = File::open(b.file(ext), true);
        if (!r) return r.error();
        *f = std::move(*r);
    }
    auto hl = Impl::lock(b, b.shd_, 0, BASE_HEADER_LEN, "base header");
    if (!hl) return hl.error();
    return init_files(prefix, b.shd_, b.sdt_, b.sid_, status);
}

Result<std::unique_ptr<SmbBase>> SmbBase::open(const std::string& prefix, BaseOptions opt) {
    std::unique_ptr<SmbBase> b(new SmbBase(prefix, opt));
    b->tally_ = tally_for_base(prefix);
    bool create = opt.create && !opt.read_only;
    if (!create && !file_exists(b->file("shd")))
        return make_error(b->file("shd") + ": no such message base", ErrorCode::NotFound);
    if (auto st = Impl::wait_for_lockfile(*b); !st) return st.error();
    for (auto [f, ext] : {std::pair{&b->shd_, "shd"}, {&b->sdt_, "sdt"}, {&b->sid_, "sid"}}) {
        auto r = File::open(b->file(ext), create, opt.read_only);
        if (!r && r.error().code == ErrorCode::NotFound && !create)
            return make_error(b->file(ext) + ": missing file of message base", ErrorCode::NotFound);
        if (!r) return r.error();
        *f = std::move(*r);
    }
    auto hl = Impl::lock_base_header(*b);                                  // FMT-80
    if (!hl) return hl.error();
    auto size = b->shd_.size();
    if (!size) return size.error();
    if (*size == 0) {
        if (!create) return make_error(b->file("shd") + ": empty file, not a message base", ErrorCode::Corrupt);
        if (auto st = init_files(prefix, b->shd_, b->sdt_, b->sid_, opt.create_status); !st) return st.error();
    }
    auto s = Impl::read_status(*b);
    if (!s) return s.error();
    if (!opt.read_only && !file_exists(b->file("lock")))
        if (auto st = Impl::recover_locked(*b, *s); !st) return st.error();
    return b;
}

} // namespace sbbs::smb
