// One pass over a base's raw index records counting every user's live mail
// by recipient and by sender at once (SMTP-108, SMTP-148, FMT-76, FMT-108),
// for IndexTally: no record list is built, the records are read in fixed
// chunks and only the four fields needed are looked at (issue #14).
#include "msgbase/index_tally.h"
#include "msgbase/smb_internal.h"

#include <array>
#include <bit>
#include <cstring>

namespace sbbs::smb {

namespace {

// Offsets of the fields read here within an index record (FMT-72).
constexpr size_t TO_AT = 0, FROM_AT = 2, ATTR_AT = 6, NUMBER_AT = 12;

// Little-endian fields read in place, one load each (this loop runs per record).
inline uint32_t le16(const char* p) {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::big) v = uint16_t(v >> 8 | v << 8);
    return v;
}
inline bool zero32(const char* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v == 0;
}

void tally_chunk(const char* p, size_t records, IndexCounts& counts) {
    for (size_t i = 0; i < records; ++i, p += INDEX_LEN)
        if (!(le16(p + ATTR_AT) & attr::DELETE) && !zero32(p + NUMBER_AT))   // FMT-78
            counts.add(le16(p + TO_AT), le16(p + FROM_AT));
}

} // namespace

Result<FileStamp> SmbBase::index_stamp() const { return stamp_of(sid_.path()); }

Status SmbBase::tally_live(IndexCounts& counts) {
    // As read_index(false): no lock (FMT-86), whole records up to total_msgs.
    auto status = Impl::read_status(*this);
    if (!status) return status.error();
    auto size = sid_.size();
    if (!size) return size.error();
    uint64_t records = std::min<uint64_t>(*size / INDEX_LEN, status->total_msgs);
    constexpr size_t CHUNK = 2048;                           // records per read: 40 KiB
    std::array<char, CHUNK * INDEX_LEN> buf;
    for (uint64_t at = 0; at < records;) {
        size_t want = size_t(std::min<uint64_t>(CHUNK, records - at));
        auto got = sid_.read_at(at * INDEX_LEN, buf.data(), want * INDEX_LEN);
        if (!got) return got.error();
        size_t whole = *got / INDEX_LEN;
        tally_chunk(buf.data(), whole, counts);
        if (whole < want) break;                             // the file ended first
        at += whole;
    }
    return {};
}

std::optional<FileStamp> SmbBase::Impl::begin_index_append(SmbBase& b) {
    if (!b.tally_) return std::nullopt;
    b.tally_->begin_append();
    auto stamp = b.index_stamp();
    return stamp ? std::optional<FileStamp>(*stamp) : std::nullopt;
}

void SmbBase::Impl::end_index_append(SmbBase& b, const std::optional<FileStamp>& before,
                                     const std::vector<IndexRecord>* records) {
    if (!b.tally_) return;
    auto after = b.index_stamp();
    if (before && after && records) b.tally_->appended(*before, *records, *after);
    else b.tally_->changed();
}

void SmbBase::Impl::index_changed(SmbBase& b) {
    if (b.tally_) b.tally_->changed();
}

} // namespace sbbs::smb
