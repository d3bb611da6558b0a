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

HashRecord make_hash(uint32_t number, uint32_t time, uint8_t source, uint8_t flags, std::string_view data) {
    std::string s(data.substr(0, data.find('\0')));          // sources are C strings
    if (flags & hash_flags::STRIP_CTRL_A) {
        std::string o;
        for (size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\x01') { ++i; continue; }
            o.push_back(s[i]);
        }
        s = o;
    }
    if (flags & hash_flags::STRIP_WSP) {
        std::string o;
        for (char c : s)
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') o.push_back(c);
        s = o;
    }
    if (flags & hash_flags::LOWERCASE)
        for (auto& c : s)
            if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
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

std::vector<HashRecord> message_hashes(const MessageHeader& hdr, std::string_view body, uint32_t time) {
    std::vector<HashRecord> out;
    constexpr uint8_t ALL = hash_flags::CRC16 | hash_flags::CRC32 | hash_flags::MD5 | hash_flags::SHA1;
    if (auto id = hdr.last(hf::RFC822MSGID); id && !id->empty())
        out.push_back(make_hash(hdr.number, time, hash_source::MSG_ID, ALL, *id));
    if (auto id = hdr.last(0xA4); id && !id->empty())         // FIDOMSGID
        out.push_back(make_hash(hdr.number, time, hash_source::FTN_ID, ALL, *id));
    HashRecord b = make_hash(hdr.number, time, hash_source::BODY,
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
