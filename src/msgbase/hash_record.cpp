// Hash record encoding and computation (CRC-16, CRC-32, MD5, SHA-1 of a
// pre-processed source), as stored in .hash (FMT-100..102).
#include "msgbase/hash_record.h"

#include "msgbase/checksum.h"
#include "msgbase/codec.h"

#include <cstring>

namespace sbbs::smb {

HashRecord decode_hash(const void* p64) {
    auto p = static_cast<const uint8_t*>(p64);
    HashRecord h;
    h.number = get32(p);
    h.time = get32(p + 4);
    h.length = get32(p + 8);
    h.source = p[12];
    h.flags = p[13];
    h.crc16 = get16(p + 14);
    h.crc32 = get32(p + 16);
    std::memcpy(h.md5.data(), p + 20, 16);
    std::memcpy(h.sha1.data(), p + 36, 20);
    return h;
}

std::string encode_hash(const HashRecord& h) {
    std::string o;
    put32(o, h.number);
    put32(o, h.time);
    put32(o, h.length);
    o.push_back(char(h.source));
    o.push_back(char(h.flags));
    put16(o, h.crc16);
    put32(o, h.crc32);
    o.append(reinterpret_cast<const char*>(h.md5.data()), 16);
    o.append(reinterpret_cast<const char*>(h.sha1.data()), 20);
    o.append(8, '\0');
    return o;
}

namespace {

// The source after the pre-processing named in `flags`, made in one pass over
// the pieces: a Ctrl-A and the byte after it go, then white space, and the
// rest is lowercased. Sources are C strings: the first NUL ends one.
std::string preprocessed(const TextPieces& data, uint8_t flags) {
    std::string s;
    s.reserve(data.size());                                    // one buffer, never regrown
    bool after_ctrl_a = false;
    for (std::string_view p : data.pieces()) {
        size_t nul = p.find('\0');
        for (char c : p.substr(0, nul)) {
            if (after_ctrl_a) { after_ctrl_a = false; continue; }
            if ((flags & hash_flags::STRIP_CTRL_A) && c == '\x01') { after_ctrl_a = true; continue; }
            if ((flags & hash_flags::STRIP_WSP) && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) continue;
            if ((flags & hash_flags::LOWERCASE) && c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
            s.push_back(c);
        }
        if (nul != std::string_view::npos) break;
    }
    return s;
}

HashRecord hash_of(uint32_t number, uint32_t time, uint8_t source, uint8_t flags, const TextPieces& data) {
    std::string s = preprocessed(data, flags);
    HashRecord h;
    h.number = number;
    h.time = time;
    h.source = source;
    h.flags = flags;
    h.length = uint32_t(s.size());
    if (s.empty()) return h;
    h.crc16 = crc16(s);
    h.crc32 = crc32(s);
    h.md5 = md5(s);
    h.sha1 = sha1(s);
    return h;
}

} // namespace

HashRecord make_hash(uint32_t number, uint32_t time, uint8_t source, uint8_t flags, std::string_view data) {
    return hash_of(number, time, source, flags, TextPieces(data));
}

std::vector<HashRecord> message_hashes(const MessageHeader& hdr, const TextPieces& body, uint32_t time) {
    std::vector<HashRecord> out;
    constexpr uint8_t ALL = hash_flags::CRC16 | hash_flags::CRC32 | hash_flags::MD5 | hash_flags::SHA1;
    if (auto id = hdr.last(hf::RFC822MSGID); id && !id->empty())
        out.push_back(make_hash(hdr.number, time, hash_source::MSG_ID, ALL, *id));
    if (auto id = hdr.last(0xA4); id && !id->empty())         // FIDOMSGID
        out.push_back(make_hash(hdr.number, time, hash_source::FTN_ID, ALL, *id));
    HashRecord b = hash_of(hdr.number, time, hash_source::BODY,
                           ALL | hash_flags::STRIP_CTRL_A | hash_flags::STRIP_WSP, body);
    if (b.length) out.push_back(b);
    std::erase_if(out, [](const HashRecord& h) { return h.length == 0; });
    return out;
}

bool same_hash(const HashRecord& a, const HashRecord& b) {
    if (a.source != b.source || a.length != b.length) return false;
    uint8_t both = a.flags & b.flags & 0x0F;
    if (!both) return false;
    if ((both & hash_flags::CRC16) && a.crc16 != b.crc16) return false;
    if ((both & hash_flags::CRC32) && a.crc32 != b.crc32) return false;
    if ((both & hash_flags::MD5) && a.md5 != b.md5) return false;
    if ((both & hash_flags::SHA1) && a.sha1 != b.sha1) return false;
    return true;
}

} // namespace sbbs::smb
