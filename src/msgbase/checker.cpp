// The checker: walks .shd block by block, the index, the allocation tables
// and the hash file, reporting every rule of FMT-131..141 it finds broken.
#include "msgbase/checker.h"

#include "msgbase/codec.h"
#include "msgbase/hash_record.h"
#include "msgbase/platform.h"

#include <algorithm>
#include <map>
#include <set>

namespace sbbs::smb {

namespace {

std::string load(const std::string& path, bool& exists) {
    auto f = File::open(path, false, true);
    exists = bool(f);
    if (!f) return {};
    auto size = f->size();
    if (!size) return {};
    std::string s(size_t(*size), '\0');
    auto n = f->read_at(0, s.data(), s.size());
    s.resize(n ? *n : 0);
    return s;
}

bool has_ctrl(const std::string* s) {
    if (!s) return false;
    for (unsigned char c : *s) {
        if (c == 0) break;
        if (c < 0x20) return true;
    }
    return false;
}

class Checker {
public:
    explicit Checker(const std::string& prefix) : prefix_(prefix) {}
    std::vector<BaseProblem> run();

private:
    void report(const char* ext, uint32_t msg, std::string what) {
        if (problems_.size() < MAX_PROBLEMS) problems_.push_back({prefix_ + "." + ext, msg, std::move(what)});
        else if (problems_.size() == MAX_PROBLEMS) problems_.push_back({prefix_ + "." + ext, 0, "too many problems, stopped listing"});
    }
    static constexpr size_t MAX_PROBLEMS = 1000;
    void check_index();
    void check_tables();
    void walk_headers();
    void check_header(const MessageHeader& h, uint32_t at, uint32_t size);
    void check_data(const MessageHeader& h);
    bool header_allocated(uint32_t at, uint32_t size) const;
    void count_allocations(const MessageHeader& h, uint32_t at, uint32_t size);
    void check_allocation_counts();
    void check_hash_file();

    std::string prefix_;
    std::vector<BaseProblem> problems_;
    BaseStatus s_;
    std::string shd_, sdt_, sid_, sha_, sda_, hash_;
    bool has_sha_ = false, has_sda_ = false, has_hash_ = false;
    std::vector<IndexRecord> index_;
    std::vector<std::pair<uint32_t, uint32_t>> by_offset_;   // (offset, number), sorted
    std::set<uint32_t> active_numbers_;
    size_t active_headers_ = 0;
    std::vector<std::string> body_of_;
    // What the headers whose blocks are in use claim: per .sda block, its
    // references; per .sha block, whether a header covers it.
    std::vector<uint32_t> data_refs_, field_refs_;   // per message, per field
    std::vector<uint32_t> run_refs_;                  // per message whose whole run holds the block
    std::vector<bool> header_covered_;
};

std::vector<BaseProblem> Checker::run() {
    bool exists = false;
    shd_ = load(prefix_ + ".shd", exists);
    if (!exists) { report("shd", 0, "missing"); return problems_; }
    auto st = decode_base_header(shd_, prefix_ + ".shd");
    if (!st) { problems_.push_back({prefix_ + ".shd", 0, st.error().message}); return problems_; }
    s_ = *st;
    sdt_ = load(prefix_ + ".sdt", exists);
    if (!exists) report("sdt", 0, "missing");
    sid_ = load(prefix_ + ".sid", exists);
    if (!exists) report("sid", 0, "missing");
    sha_ = load(prefix_ + ".sha", has_sha_);
    sda_ = load(prefix_ + ".sda", has_sda_);
    hash_ = load(prefix_ + ".hash", has_hash_);
    check_index();
    check_tables();
    for (auto& r : index_) by_offset_.push_back({r.offset, r.number});
    std::sort(by_offset_.begin(), by_offset_.end());
    walk_headers();
    check_allocation_counts();
    check_hash_file();
    return problems_;
}

void Checker::check_index() {
    uint32_t len = index_record_len(s_);
    if (sid_.size() != uint64_t(s_.total_msgs) * len)            // FMT-15, FMT-131
        report("sid", 0, "size " + std::to_string(sid_.size()) + " does not match status total_msgs " +
                             std::to_string(s_.total_msgs) + " x " + std::to_string(len));
    std::set<uint32_t> numbers, offsets;
    uint32_t prev = 0;
    for (size_t i = 0; i + len <= sid_.size(); i += len) {
        IndexRecord r = decode_index(sid_.data() + i);
        index_.push_back(r);
        if (r.number == 0) { report("sid", 0, "index record " + std::to_string(i / len) + " has number 0"); continue; }
        if (r.number > s_.last_msg) report("sid", r.number, "number greater than last_msg " + std::to_string(s_.last_msg));
        if (r.number <= prev) report("sid", r.number, "index numbers not in increasing order");   // FMT-134
        if (r.offset < s_.header_offset) report("sid", r.number, "header offset before first header block");
        if (!numbers.insert(r.number).second) report("sid", r.number, "duplicate number in index");
        if (!offsets.insert(r.offset).second) report("sid", r.number, "duplicate header offset in index");
        prev = std::max(prev, r.number);
    }
}

void Checker::check_tables() {
    if ((shd_.size() - std::min<size_t>(shd_.size(), s_.header_offset)) % BLOCK_LEN)          // FMT-19
        report("shd", 0, "header area not a whole number of blocks");
    if (sdt_.size() % BLOCK_LEN) report("sdt", 0, "size not a whole number of blocks");      // FMT-50
    if (s_.attr & status_attr::HYPERALLOC) return;
    uint64_t hdr_blocks = (shd_.size() - std::min<size_t>(shd_.size(), s_.header_offset)) / BLOCK_LEN;
    if (sha_.size() != hdr_blocks)                                                           // FMT-62, FMT-137
        report("sha", 0, "length " + std::to_string(sha_.size()) + " does not match " + std::to_string(hdr_blocks) +
                             " header blocks");
    if (sda_.size() != sdt_.size() / BLOCK_LEN * 2)                                          // FMT-63
        report("sda", 0, "length " + std::to_string(sda_.size()) + " does not match " +
                             std::to_string(sdt_.size() / BLOCK_LEN) + " data blocks");
}

void Checker::walk_headers() {
    bool hyper = s_.attr & status_attr::HYPERALLOC;
    for (uint64_t at = s_.header_offset; at < shd_.size();) {
        std::string_view rest(shd_.data() + at, shd_.size() - at);
        uint16_t len = stored_header_length(rest);
        auto h = len ? decode_header(rest.substr(0, std::min<size_t>(rest.size(), len))) : Result<MessageHeader>(make_error("no header id"));
        if (!h) {                                                 // FMT-132: must be a free block
            uint64_t block = (at - s_.header_offset) / BLOCK_LEN;
            if (!hyper && (block >= sha_.size() || sha_[block] != 0))
                report("shd", 0, "unreadable header at offset " + std::to_string(at) + " (" +
                                     (len ? h.error().message : std::string("no header id")) + ") in a block " +
                                     (block >= sha_.size() ? "past the end of .sha" : "marked in use"));
            at += BLOCK_LEN;
            continue;
        }
        h->header_offset = uint32_t(at);
        uint32_t size = blocks_for(computed_header_length(*h)) * BLOCK_LEN;
        count_allocations(*h, uint32_t(at), size);
        check_header(*h, uint32_t(at), size);
        at += size;
    }
    size_t active_index = 0;
    for (auto& r : index_)
        if (r.number && !(r.attr & attr::DELETE)) ++active_index;
    if (active_index != active_headers_)                          // FMT-131
        report("shd", 0, std::to_string(active_headers_) + " active headers but " + std::to_string(active_index) +
                             " active index records");
}

void Checker::check_header(const MessageHeader& h, uint32_t at, uint32_t size) {
    const char* shd = "shd";
    uint32_t n = h.number;
    bool email = s_.attr & status_attr::EMAIL;
    uint64_t end = at + uint64_t(blocks_for(stored_header_length(std::string_view(shd_.data() + at, FIXED_HEADER_LEN)))) * BLOCK_LEN;
    for (auto it = std::upper_bound(by_offset_.begin(), by_offset_.end(), std::pair<uint32_t, uint32_t>(at, UINT32_MAX));
         it != by_offset_.end() && it->first < end; ++it)         // FMT-132: overlap
        if (it->second != n) report(shd, n, "header overlaps with message " + std::to_string(it->second));
    uint32_t computed = computed_header_length(h);
    uint16_t stored = stored_header_length(std::string_view(shd_.data() + at, FIXED_HEADER_LEN));
    if (stored != computed)                                       // FMT-135
        report(shd, n, "header length " + std::to_string(stored) + " does not match computed " + std::to_string(computed));
    if (h.type != type_for_attr(h.attr)) report(shd, n, "type " + std::to_string(h.type) + " does not match attributes");
    auto sender_net = h.get_u16(hf::SENDERNETTYPE).value_or(net::NONE);
    if (h.type == 0 && sender_net == net::NONE && !h.last(hf::RFC822MSGID))   // FMT-140
        report(shd, n, "missing Message-ID");
    if (h.attr & attr::DELETE) return;
    ++active_headers_;
    if (n == 0) report(shd, n, "header number is zero");
    if (n > s_.last_msg) report(shd, n, "number greater than last_msg");
    if (!active_numbers_.insert(n).second) report(shd, n, "duplicate message number");
    auto it = std::lower_bound(index_.begin(), index_.end(), n,
                               [](const IndexRecord& r, uint32_t v) { return r.number < v; });
    if (it == index_.end() || it->number != n || it->offset != at) {     // FMT-133
        report(shd, n, "not found in index at offset " + std::to_string(at));
    } else {
        IndexRecord want = index_for(h, email);
        if (it->attr != h.attr) report("sid", n, "index attributes do not match header");
        if (it->time != h.when_imported_time) report("sid", n, "index import time does not match header");
        if (it->subj != want.subj) report("sid", n, "index subject CRC does not match header");
        if (it->from != want.from) report("sid", n, email ? "index from does not match SENDEREXT" : "index from CRC does not match sender");
        if (it->to != want.to) report("sid", n, email ? "index to does not match RECIPIENTEXT" : "index to CRC does not match recipient");
    }
    if (h.netattr & netattr::INTRANSIT) report(shd, n, "flagged in transit");         // FMT-138
    if ((h.attr & attr::MODERATED) && !(h.attr & attr::VALIDATED)) report(shd, n, "moderated but not validated");
    auto recip_net = h.get_u16(hf::RECIPIENTNETTYPE).value_or(net::NONE);
    if (has_ctrl(h.last(hf::RECIPIENT)) || (recip_net != net::FIDO && has_ctrl(h.last(hf::RECIPIENTNETADDR))) ||
        has_ctrl(h.last(hf::SENDER)) || (sender_net != net::FIDO && has_ctrl(h.last(hf::SENDERNETADDR))) ||
        has_ctrl(h.last(hf::SUBJECT)))                            // FMT-139
        report(shd, n, "header field contains control characters");
    if (!(s_.attr & status_attr::HYPERALLOC)) {                   // FMT-137
        uint32_t first = (at - s_.header_offset) / BLOCK_LEN;
        for (uint32_t b = 0; b < size / BLOCK_LEN; ++b)
            if (first + b >= sha_.size() || sha_[first + b] != 1) {
                report("sha", n, "active header block " + std::to_string(first + b) + " not marked in use");
                break;
            }
    }
    check_data(h);
}

void Checker::check_data(const MessageHeader& h) {
    uint32_t n = h.number;
    std::string body;
    for (size_t i = 0; i < h.dfields.size(); ++i) {               // FMT-136
        const DataField& d = h.dfields[i];
        std::string which = "data field " + std::to_string(i);
        if ((d.offset | d.length) & 0x80000000u) { report("shd", n, which + " offset or length has bit 31 set"); continue; }
        uint64_t start = uint64_t(h.offset) + d.offset;
        if (!(s_.attr & status_attr::HYPERALLOC)) {
            for (uint32_t b = 0; b < blocks_for(d.length); ++b) {
                uint64_t e = start / BLOCK_LEN + b;
                if (e * 2 + 2 > sda_.size() || get16(sda_.data() + e * 2) == 0) {
                    report("sda", n, which + " block " + std::to_string(e) + " marked free");
                    break;                                // once per field
                }
            }
        }
        if (d.type != dfield::TEXT_BODY && d.type != dfield::TEXT_TAIL) continue;
        if (start + d.length > sdt_.size()) { report("sdt", n, which + " runs past end of file"); continue; }
        if (d.length <= 2) continue;
        auto text = decode_data_field(std::string_view(sdt_.data() + start, d.length));
        if (!text) report("sdt", n, which + ": " + text.error().message);
        else if (d.type == dfield::TEXT_BODY) body += *text;
    }
    if (!(s_.attr & (status_attr::EMAIL | status_attr::NOHASH | status_attr::FILE_DIRECTORY)) && has_hash_) {
        for (auto& want : message_hashes(h, body, 0)) {           // FMT-141
            bool found = false;
            for (size_t i = 0; i + HASH_LEN <= hash_.size() && !found; i += HASH_LEN)
                found = same_hash(decode_hash(hash_.data() + i), want);
            if (!found) report("hash", n, "hash of source " + std::to_string(want.source) + " missing");
        }
    } else if (!(s_.attr & (status_attr::EMAIL | status_attr::NOHASH | status_attr::FILE_DIRECTORY))) {
        if (!message_hashes(h, body, 0).empty()) report("hash", n, "hash file missing");
    }
}

// A header holds its blocks (and its data fields' blocks) while .sha marks
// them in use, deleted or not: freeing a message clears both together.
bool Checker::header_allocated(uint32_t at, uint32_t size) const {
    uint64_t first = (at - s_.header_offset) / BLOCK_LEN;
    for (uint64_t b = first; b < first + size / BLOCK_LEN; ++b)
        if (b >= sha_.size() || sha_[b] != 1) return false;
    return size > 0;
}

void Checker::count_allocations(const MessageHeader& h, uint32_t at, uint32_t size) {
    if (s_.attr & status_attr::HYPERALLOC) return;
    if (!header_allocated(at, size)) return;
    header_covered_.resize(sha_.size());
    uint64_t first = (at - s_.header_offset) / BLOCK_LEN;
    for (uint64_t b = first; b < first + size / BLOCK_LEN; ++b) header_covered_[b] = true;
    data_refs_.resize(sda_.size() / 2);
    field_refs_.resize(sda_.size() / 2);
    run_refs_.resize(sda_.size() / 2);
    std::set<uint64_t> blocks;
    uint64_t run_end = 0;                          // bytes of the run, from h.offset
    for (const DataField& d : h.dfields) {
        if ((d.offset | d.length) & 0x80000000u) continue;   // reported by check_data
        uint64_t start = (uint64_t(h.offset) + d.offset) / BLOCK_LEN;
        for (uint64_t b = start; b < start + blocks_for(d.length) && b < data_refs_.size(); ++b) {
            ++field_refs_[b];
            blocks.insert(b);
        }
        run_end = std::max(run_end, uint64_t(d.offset) + d.length);
    }
    for (uint64_t b : blocks) ++data_refs_[b];
    // FMT-68: the run is ceil(sum of lengths / 256) blocks, all counted when
    // allocated; a tail that starts late in a block can end in one no
    // field's own block range reaches. Only the run names that block.
    uint64_t run_first = h.offset / BLOCK_LEN;
    for (uint64_t b = run_first; b < run_first + blocks_for(run_end) && b < run_refs_.size(); ++b) ++run_refs_[b];
}

// Both directions (issue #13): a count above the references is leaked space
// (a crash between allocating and committing), one below them means freeing
// one message would free another's data. FMT-68: the first allocation counts
// a block a body and tail share once, later copies once per field, so a
// count anywhere from one per message to one per field is right.
void Checker::check_allocation_counts() {
    if (s_.attr & status_attr::HYPERALLOC) return;
    constexpr size_t kListed = 20;
    data_refs_.resize(sda_.size() / 2);
    field_refs_.resize(sda_.size() / 2);
    run_refs_.resize(sda_.size() / 2);
    size_t wrong = 0, leaked = 0;
    for (size_t b = 0; b < data_refs_.size(); ++b) {
        uint16_t stored = get16(sda_.data() + b * 2);
        if (stored >= data_refs_[b] && stored <= field_refs_[b]) continue;
        // A block only a run names: the first allocation counted it once and
        // later copies (counted per field) never do.
        if (field_refs_[b] == 0 && run_refs_[b] > 0 && stored >= 1 && stored <= run_refs_[b]) continue;
        if (data_refs_[b] == 0 && run_refs_[b] == 0) ++leaked;
        if (++wrong <= kListed)
            report("sda", 0, "data block " + std::to_string(b) + " allocation count " + std::to_string(stored) +
                                 " but " + std::to_string(std::max(data_refs_[b], run_refs_[b])) + " reference(s)" +
                                 (data_refs_[b] == 0 && run_refs_[b] == 0 ? " (leaked space)" : ""));
    }
    if (wrong > kListed)
        report("sda", 0, std::to_string(wrong) + " data blocks with a wrong allocation count, " +
                             std::to_string(leaked) + " of them leaked");
    header_covered_.resize(sha_.size());
    size_t stray = 0;
    for (size_t b = 0; b < sha_.size(); ++b) {
        if (sha_[b] == 0 || header_covered_[b]) continue;
        if (++stray <= kListed)
            report("sha", 0, "header block " + std::to_string(b) + " marked " + std::to_string(uint8_t(sha_[b])) +
                                 " but holds no header (leaked space)");
    }
    if (stray > kListed) report("sha", 0, std::to_string(stray) + " header blocks marked in use without a header");
}

void Checker::check_hash_file() {
    if (!has_hash_) return;
    if (hash_.size() % HASH_LEN) report("hash", 0, "size not a multiple of 64");
    uint32_t now = unix_time_now();
    for (size_t i = 0; i + HASH_LEN <= hash_.size(); i += HASH_LEN) {   // FMT-102
        HashRecord h = decode_hash(hash_.data() + i);
        std::string rec = "hash record " + std::to_string(i / HASH_LEN);
        if (h.number > s_.last_msg) report("hash", h.number, rec + " number greater than last_msg");
        if (h.time < 0x40000000u || h.time > now + 3600) report("hash", h.number, rec + " has an invalid time");
        if (h.length < 1 || h.length > 0x40000000u) report("hash", h.number, rec + " has an invalid length");
        if (h.source >= 4) report("hash", h.number, rec + " has an invalid source");
    }
}

} // namespace

std::vector<BaseProblem> check_base(const std::string& prefix) { return Checker(prefix).run(); }

std::string describe(const BaseProblem& p) {
    return p.file + ": " + (p.message ? "message " + std::to_string(p.message) + ": " : std::string()) + p.what;
}

} // namespace sbbs::smb
