// Test-only stand-in for the original BBS's smblib writing the mail base
// while sbbsmail runs (crash campaigns, tests/e2e/test_crash_smtp_e2e.py).
// Unlike bbs_writer it shares none of SmbBase's write path: no crash
// recovery, never reads or writes <base>.pending / <base>.updating, data
// blocks and header blocks taken first-fit from .sda/.sha as the original's
// smballoc does, no fsync. Each message is a bulk-mail add in two separate
// holds of the base-header lock, as the BBS's bulk mail does: first the text
// is stored and counted once per copy with no header pointing at it, then
// the copies' headers and index records. Between the two holds the base
// legitimately has counted data that no header references, which sbbsmail's
// recovery must never give back.
//
//   foreign_bbs_writer PREFIX TAG COUNT COPIES [PAUSE_MS]
//
// Subjects "<TAG> <n>.<k>", k = 1..COPIES, each printed as "added <subject>"
// once both holds have ended. SIGTERM ends the run after the add in
// progress (never between its holds). Exit 0, or 1 with the error.
#include "msgbase/codec.h"
#include "msgbase/platform.h"
#include "msgbase/smb_defs.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

using namespace sbbs;
using namespace sbbs::smb;

namespace {

volatile std::sig_atomic_t stopping = 0;
void on_term(int) { stopping = 1; }

constexpr uint64_t kRetryMs = 30000;   // smb_retry_time's default

// The base's three always-open files, as smb_open keeps them.
struct Base {
    std::string prefix;
    File shd, sdt, sid;
};

// Retries a non-blocking lock until kRetryMs, as smblib does (FMT-82).
Status lock_range(File& f, uint64_t off, uint64_t len) {
    uint64_t start = monotonic_ms();
    for (;;) {
        auto r = f.try_lock(off, len);
        if (!r) return r.error();
        if (*r) return {};
        if (monotonic_ms() - start > kRetryMs) return make_error(f.path() + ": lock timeout", ErrorCode::Locked);
        sleep_ms(10);
    }
}

// The base-header lock for one hold (smb_locksmbhdr/smb_unlocksmbhdr).
struct HeaderHold {
    File& shd;
    explicit HeaderHold(File& f) : shd(f) {}
    ~HeaderHold() { shd.unlock(0, BASE_HEADER_LEN); }
};

// An allocation table opened with its whole-file lock (smb_open_da/_ha).
struct Table {
    File file;
    bool wide;
    std::vector<uint16_t> entries;
    ~Table() {
        if (file.is_open()) file.unlock(0, 0);
    }
};

Status open_table(const Base& b, const char* ext, bool wide, Table& t) {
    auto f = File::open(b.prefix + "." + ext, true);
    if (!f) return f.error();
    t.file = std::move(*f);
    t.wide = wide;
    if (auto st = lock_range(t.file, 0, 0); !st) return st;
    auto size = t.file.size();
    if (!size) return size.error();
    std::string raw(size_t(*size), '\0');
    if (auto st = t.file.read_exact(0, raw.data(), raw.size()); !st) return st;
    size_t n = wide ? raw.size() / 2 : raw.size();
    for (size_t i = 0; i < n; ++i) t.entries.push_back(wide ? get16(raw.data() + 2 * i) : uint8_t(raw[i]));
    return {};
}

// smballoc's rule: the first run of `n` free entries from the start, or
// the table's end (a short free run there is not extended).
uint32_t first_fit(const std::vector<uint16_t>& entries, uint32_t n) {
    uint32_t run = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
        run = entries[i] == 0 ? run + 1 : 0;
        if (run == n) return uint32_t(i + 1 - n);
    }
    return uint32_t(entries.size());
}

Status set_entries(Table& t, uint32_t first, uint32_t n, uint16_t value) {
    std::string raw;
    for (uint32_t i = 0; i < n; ++i) {
        if (t.wide) put16(raw, value);
        else raw.push_back(char(value));
    }
    return t.file.write_at(uint64_t(first) * (t.wide ? 2 : 1), raw.data(), raw.size());
}

Result<BaseStatus> read_status(Base& b) {
    char buf[BASE_HEADER_LEN];
    auto n = b.shd.read_at(0, buf, sizeof buf);
    if (!n) return n.error();
    return decode_base_header(std::string_view(buf, *n), b.shd.path());
}

// Hold 1 (smb_addmsg's data part): the text in first-fit blocks, counted
// `copies` times. Returns the data offset.
Result<uint32_t> store_text(Base& b, const std::string& text, uint16_t copies) {
    if (auto st = lock_range(b.shd, 0, BASE_HEADER_LEN); !st) return st.error();
    HeaderHold hold(b.shd);
    std::string stored(2, '\0');   // XLAT_NONE
    stored += text;
    uint32_t blocks = blocks_for(stored.size());
    stored.resize(size_t(blocks) * BLOCK_LEN, '\0');
    Table sda;
    if (auto st = open_table(b, "sda", true, sda); !st) return st.error();
    uint32_t first = first_fit(sda.entries, blocks);
    if (auto st = b.sdt.write_at(uint64_t(first) * BLOCK_LEN, stored.data(), stored.size()); !st) return st.error();
    if (auto st = set_entries(sda, first, blocks, copies); !st) return st.error();
    return first * BLOCK_LEN;
}

MessageHeader header_for(const std::string& subject, uint32_t number, uint32_t data_offset, uint32_t text_len) {
    MessageHeader h;
    uint32_t now = unix_time_now();
    h.number = h.thread_id = number;
    h.type = type_for_attr(h.attr);
    h.when_imported_time = now;
    h.when_imported_zone = int16_t(local_time(now).utc_offset_min);
    h.when_written = when_from_unix(now);
    h.offset = data_offset;
    h.dfields.push_back({dfield::TEXT_BODY, 0, text_len + 2});
    h.add(hf::SENDER, "Foreign BBS");
    h.add(hf::SENDEREXT, "2");
    h.add(hf::SUBJECT, subject);
    std::string id = subject;
    for (char& c : id)
        if (c == ' ') c = '.';
    h.add(hf::RFC822MSGID, "<" + id + "@foreign.example>");
    h.add(hf::RECIPIENT, "Sysop");
    h.add(hf::RECIPIENTEXT, "1");
    return h;
}

// Hold 2 (smb_addmsghdr per copy): first-fit header blocks, header, index
// record, status, in the original's order.
Status store_headers(Base& b, const std::vector<std::string>& subjects, uint32_t data_offset, uint32_t text_len) {
    if (auto st = lock_range(b.shd, 0, BASE_HEADER_LEN); !st) return st;
    HeaderHold hold(b.shd);
    auto s = read_status(b);
    if (!s) return s.error();
    Table sha;
    if (auto st = open_table(b, "sha", false, sha); !st) return st;
    for (const auto& subject : subjects) {
        MessageHeader h = header_for(subject, s->last_msg + 1, data_offset, text_len);
        auto bytes = encode_header(h);
        if (!bytes) return bytes.error();
        uint32_t blocks = uint32_t(bytes->size() / BLOCK_LEN);
        uint32_t first = first_fit(sha.entries, blocks);
        if (sha.entries.size() < first + blocks) sha.entries.resize(first + blocks, 0);
        for (uint32_t k = 0; k < blocks; ++k) sha.entries[first + k] = 1;
        if (auto st = set_entries(sha, first, blocks, 1); !st) return st;
        h.header_offset = s->header_offset + first * BLOCK_LEN;
        if (auto st = b.shd.write_at(h.header_offset, bytes->data(), bytes->size()); !st) return st;
        std::string rec = encode_index(index_for(h, true));
        if (auto st = b.sid.write_at(uint64_t(s->total_msgs) * INDEX_LEN, rec.data(), rec.size()); !st) return st;
        s->last_msg += 1;
        s->total_msgs += 1;
        std::string status = encode_base_header(*s);
        if (auto st = b.shd.write_at(0, status.data(), status.size()); !st) return st;
    }
    return {};
}

Status add_one(Base& b, const std::string& tag, int n, int copies, unsigned pause_ms) {
    std::string name = tag + " " + std::to_string(n);
    std::string text = "Written by the foreign BBS: " + name + "\r\n" + std::string(size_t(n % 11) * 100, 'f') + "\r\n";
    auto offset = store_text(b, text, uint16_t(copies));
    if (!offset) return offset.error();
    if (pause_ms) usleep(pause_ms * 1000);   // counted data, no header yet: sbbsmail may be killed and restart here
    std::vector<std::string> subjects;
    for (int k = 1; k <= copies; ++k) subjects.push_back(name + "." + std::to_string(k));
    if (auto st = store_headers(b, subjects, *offset, uint32_t(text.size())); !st) return st;
    for (const auto& s : subjects) std::printf("added %s\n", s.c_str());
    std::fflush(stdout);
    return {};
}

Result<Base> open_base(const std::string& prefix) {
    Base b{prefix, {}, {}, {}};
    for (auto [f, ext] : {std::pair{&b.shd, "shd"}, {&b.sdt, "sdt"}, {&b.sid, "sid"}}) {
        auto r = File::open(prefix + "." + ext, false);
        if (!r) return r.error();
        *f = std::move(*r);
    }
    return b;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: foreign_bbs_writer PREFIX TAG COUNT COPIES [PAUSE_MS]\n");
        return 2;
    }
    std::signal(SIGTERM, on_term);
    auto base = open_base(argv[1]);   // an existing base: the original creates none here either
    if (!base) {
        std::fprintf(stderr, "foreign_bbs_writer: %s\n", base.error().message.c_str());
        return 1;
    }
    int count = std::atoi(argv[3]), copies = std::max(1, std::atoi(argv[4]));
    unsigned pause_ms = argc > 5 ? unsigned(std::atoi(argv[5])) : 0;
    for (int n = 1; n <= count && !stopping; ++n) {
        if (auto st = add_one(*base, argv[2], n, copies, pause_ms); !st) {
            std::fprintf(stderr, "foreign_bbs_writer: %s\n", st.error().message.c_str());
            return 1;
        }
        if (pause_ms) usleep(pause_ms * 1000);
    }
    return 0;
}
