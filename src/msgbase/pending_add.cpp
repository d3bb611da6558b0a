// Encoding of the pending-add journal (see pending_add.h): a magic, the
// status before the add, then the data runs and header placements, ending
// in a CRC-32 so a journal cut short by the kill reads as absent.
#include "msgbase/pending_add.h"

#include "msgbase/checksum.h"
#include "msgbase/codec.h"

namespace sbbs::smb {

namespace {

const char MAGIC[4] = {'P', 'N', 'D', '1'};
constexpr size_t MAX_FIELDS = 64;                 // more is a damaged journal, not an add of ours

struct Reader {
    std::string_view in;
    size_t at = 0;
    bool ok = true;
    uint32_t u32() {
        if (in.size() - at < 4) { ok = false; return 0; }
        at += 4;
        return get32(in.data() + at - 4);
    }
    uint16_t u16() {
        if (in.size() - at < 2) { ok = false; return 0; }
        at += 2;
        return get16(in.data() + at - 2);
    }
};

} // namespace

std::string encode_pending(const PendingAdd& p) {
    std::string out(MAGIC, 4);
    put32(out, p.last_msg);
    put32(out, p.total_msgs);
    put32(out, uint32_t(p.data.size()));
    for (auto& d : p.data) {
        put32(out, d.first_block);
        put32(out, d.blocks);
        put16(out, d.copies);
        put16(out, uint16_t(d.dfields.size()));
        for (auto& f : d.dfields) {
            put32(out, f.offset);
            put32(out, f.length);
        }
        put32(out, d.first_crc);
        put32(out, d.last_crc);
    }
    put32(out, uint32_t(p.headers.size()));
    for (auto& h : p.headers) {
        put32(out, h.number);
        put32(out, h.header_offset);
        put32(out, h.blocks);
        put32(out, h.data_offset);
        put16(out, h.has_data ? 1 : 0);
    }
    put32(out, crc32(out));
    return out;
}

std::optional<PendingAdd> decode_pending(std::string_view bytes) {
    if (bytes.size() < 4 + 4 || bytes.substr(0, 4) != std::string_view(MAGIC, 4)) return std::nullopt;
    if (crc32(bytes.substr(0, bytes.size() - 4)) != get32(bytes.data() + bytes.size() - 4)) return std::nullopt;
    Reader r{bytes.substr(0, bytes.size() - 4), 4};
    PendingAdd p;
    p.last_msg = r.u32();
    p.total_msgs = r.u32();
    for (uint32_t n = r.u32(); r.ok && n > 0; --n) {
        PendingData d;
        d.first_block = r.u32();
        d.blocks = r.u32();
        d.copies = r.u16();
        uint16_t fields = r.u16();
        if (fields > MAX_FIELDS) return std::nullopt;
        for (uint16_t i = 0; i < fields && r.ok; ++i) {
            DataField f;
            f.offset = r.u32();
            f.length = r.u32();
            d.dfields.push_back(f);
        }
        d.first_crc = r.u32();
        d.last_crc = r.u32();
        p.data.push_back(std::move(d));
    }
    for (uint32_t n = r.u32(); r.ok && n > 0; --n) {
        PendingHeader h;
        h.number = r.u32();
        h.header_offset = r.u32();
        h.blocks = r.u32();
        h.data_offset = r.u32();
        h.has_data = r.u16() != 0;
        p.headers.push_back(h);
    }
    if (!r.ok || r.at != r.in.size()) return std::nullopt;
    return p;
}

uint16_t expected_count(const PendingData& run, uint32_t block, uint32_t committed) {
    if (committed == 0) return 0;
    uint32_t cover = 0;                           // fields whose blocks include `block`
    for (auto& f : run.dfields) {
        uint32_t first = run.first_block + f.offset / BLOCK_LEN;
        if (block >= first && block < first + blocks_for(f.length)) ++cover;
    }
    return uint16_t(1 + (committed - 1) * cover);
}

} // namespace sbbs::smb
