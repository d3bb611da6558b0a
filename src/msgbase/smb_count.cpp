// Counting a user's live index records without decoding the index into a
// list (SMTP-108, SMTP-148, FMT-76, FMT-108): the RCPT path's only cost that
// grows with the base, so it reads the records in fixed chunks and looks at
// the three fields it needs (issue #14).
#include "msgbase/smb_internal.h"

#include <array>

namespace sbbs::smb {

namespace {

// Offsets of the fields read here within an index record (FMT-72).
constexpr size_t TO_AT = 0, FROM_AT = 2, ATTR_AT = 6, NUMBER_AT = 12;

// Little-endian fields read in place (inlined: this loop runs per record).
inline uint32_t le16(const char* p) { return uint32_t(uint8_t(p[0])) | uint32_t(uint8_t(p[1])) << 8; }
inline bool zero32(const char* p) { return !(p[0] | p[1] | p[2] | p[3]); }

uint32_t count_chunk(const char* p, size_t records, size_t field_at, uint32_t user) {
    uint32_t n = 0;
    for (size_t i = 0; i < records; ++i, p += INDEX_LEN)
        n += le16(p + field_at) == user && !(le16(p + ATTR_AT) & attr::DELETE) && !zero32(p + NUMBER_AT);   // FMT-78
    return n;
}

} // namespace

Result<uint32_t> SmbBase::count_live(CountBy by, uint32_t user) {
    if (user > 0xFFFF) return 0u;                            // index fields are 16 bits (FMT-72)
    // As read_index(false): no lock (FMT-86), whole records up to total_msgs.
    auto status = Impl::read_status(*this);
    if (!status) return status.error();
    auto size = sid_.size();
    if (!size) return size.error();
    uint64_t records = std::min<uint64_t>(*size / INDEX_LEN, status->total_msgs);
    size_t field_at = by == CountBy::Recipient ? TO_AT : FROM_AT;
    constexpr size_t CHUNK = 2048;                           // records per read: 40 KiB
    std::array<char, CHUNK * INDEX_LEN> buf;
    uint32_t n = 0;
    for (uint64_t at = 0; at < records;) {
        size_t want = size_t(std::min<uint64_t>(CHUNK, records - at));
        auto got = sid_.read_at(at * INDEX_LEN, buf.data(), want * INDEX_LEN);
        if (!got) return got.error();
        size_t whole = *got / INDEX_LEN;
        n += count_chunk(buf.data(), whole, field_at, user);
        if (whole < want) break;                             // the file ended first
        at += whole;
    }
    return n;
}

} // namespace sbbs::smb
