// Encoding/decoding of base header, index records, header records and data
// fields. Every length is checked against the bytes at hand (FMT-99).
#include "msgbase/codec.h"

#include "msgbase/checksum.h"
#include "msgbase/lzh.h"
#include "msgbase/platform.h"

#include <cstring>

namespace sbbs::smb {

uint16_t get16(const void* p) {
    auto b = static_cast<const uint8_t*>(p);
    return uint16_t(b[0] | (b[1] << 8));
}
uint32_t get32(const void* p) {
    auto b = static_cast<const uint8_t*>(p);
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}
void put16(std::string& out, uint16_t v) { out.push_back(char(v & 0xFF)); out.push_back(char(v >> 8)); }
void put32(std::string& out, uint32_t v) { for (int i = 0; i < 4; ++i) out.push_back(char((v >> (8 * i)) & 0xFF)); }
void set16(void* p, uint16_t v) { auto b = static_cast<uint8_t*>(p); b[0] = uint8_t(v); b[1] = uint8_t(v >> 8); }
void set32(void* p, uint32_t v) { auto b = static_cast<uint8_t*>(p); for (int i = 0; i < 4; ++i) b[i] = uint8_t(v >> (8 * i)); }

Result<BaseStatus> decode_base_header(std::string_view b, const std::string& file) {
    if (b.size() < BASE_HEADER_LEN)
        return make_error(file + ": truncated base header (" + std::to_string(b.size()) + " of 32 bytes)",
                          ErrorCode::Corrupt);
    if (std::memcmp(b.data(), "SMB\x1a", 4) != 0)
        return make_error(file + ": not an SMB message base (bad id)", ErrorCode::Corrupt);
    BaseStatus s;
    s.version = get16(b.data() + 4);
    if (s.version < MIN_VERSION)
        return make_error(file + ": unsupported base version " + std::to_string(s.version >> 8) + "." +
                              std::to_string(s.version & 0xFF),
                          ErrorCode::Corrupt);
    s.last_msg = get32(b.data() + 8);
    s.total_msgs = get32(b.data() + 12);
    s.header_offset = get32(b.data() + 16);
    s.max_crcs = get32(b.data() + 20);
    s.max_msgs = get32(b.data() + 24);
    s.max_age = get16(b.data() + 28);
    s.attr = get16(b.data() + 30);
    if (s.header_offset < BASE_HEADER_LEN)
        return make_error(file + ": bad header offset " + std::to_string(s.header_offset), ErrorCode::Corrupt);
    return s;
}

std::string encode_base_header(const BaseStatus& s) {
    std::string o("SMB\x1a", 4);
    put16(o, s.version);
    put16(o, uint16_t(BASE_HEADER_LEN));
    put32(o, s.last_msg);
    put32(o, s.total_msgs);
    put32(o, s.header_offset);
    put32(o, s.max_crcs);
    put32(o, s.max_msgs);
    put16(o, s.max_age);
    put16(o, s.attr);
    return o;
}

IndexRecord decode_index(const void* p) {
    auto b = static_cast<const uint8_t*>(p);
    IndexRecord r;
    r.to = get16(b);
    r.from = get16(b + 2);
    r.subj = get16(b + 4);
    r.attr = get16(b + 6);
    r.offset = get32(b + 8);
    r.number = get32(b + 12);
    r.time = get32(b + 16);
    return r;
}

std::string encode_index(const IndexRecord& r) {
    std::string o;
    put16(o, r.to);
    put16(o, r.from);
    put16(o, r.subj);
    put16(o, r.attr);
    put32(o, r.offset);
    put32(o, r.number);
    put32(o, r.time);
    return o;
}

uint16_t stored_header_length(std::string_view b) {
    if (b.size() < FIXED_HEADER_LEN || std::memcmp(b.data(), "SHD\x1a", 4) != 0) return 0;
    return get16(b.data() + 8);
}

Result<MessageHeader> decode_header(std::string_view b) {
    if (b.size() < FIXED_HEADER_LEN) return make_error("truncated message header", ErrorCode::Corrupt);
    if (std::memcmp(b.data(), "SHD\x1a", 4) != 0) return make_error("bad message header id", ErrorCode::Corrupt);
    const char* p = b.data();
    MessageHeader h;
    h.type = get16(p + 4);
    h.version = get16(p + 6);
    uint16_t length = get16(p + 8);
    if (h.version < MIN_VERSION)
        return make_error("unsupported message header version " + std::to_string(h.version), ErrorCode::Corrupt);
    if (length < FIXED_HEADER_LEN) return make_error("message header length too small", ErrorCode::Corrupt);
    if (b.size() < length) return make_error("message header runs past end of file", ErrorCode::Corrupt);
    h.attr = get16(p + 0x0A);
    h.auxattr = get32(p + 0x0C);
    h.netattr = get16(p + 0x10);
    h.when_written.year = get16(p + 0x12);
    h.when_written.time = get32(p + 0x14);
    h.when_written.zone = int16_t(get16(p + 0x18));
    h.when_imported_time = get32(p + 0x1A);
    h.when_imported_zone = int16_t(get16(p + 0x1E));
    h.number = get32(p + 0x20);
    h.thread_back = get32(p + 0x24);
    h.thread_next = get32(p + 0x28);
    h.thread_first = get32(p + 0x2C);
    h.delivery_attempts = get16(p + 0x30);
    h.votes = int16_t(get16(p + 0x32));
    h.thread_id = get32(p + 0x34);
    h.priority = uint8_t(p[0x38]);
    h.offset = get32(p + 0x40);
    uint16_t total_dfields = get16(p + 0x44);
    size_t pos = FIXED_HEADER_LEN;
    if (pos + size_t(total_dfields) * DFIELD_LEN > length)
        return make_error("data field descriptors run past header length", ErrorCode::Corrupt);
    for (unsigned i = 0; i < total_dfields; ++i, pos += DFIELD_LEN)
        h.dfields.push_back({get16(p + pos), get32(p + pos + 2), get32(p + pos + 6)});
    while (pos < length) {
        if (pos + HFIELD_LEN > length)
            return make_error("header field descriptor runs past header length", ErrorCode::Corrupt);
        uint16_t type = get16(p + pos), flen = get16(p + pos + 2);
        pos += HFIELD_LEN;
        if (pos + flen > length) return make_error("header field runs past header length", ErrorCode::Corrupt);
        h.fields.push_back({type, std::string(p + pos, flen)});
        pos += flen;
    }
    return h;
}

uint32_t computed_header_length(const MessageHeader& h) {
    uint32_t len = FIXED_HEADER_LEN + DFIELD_LEN * uint32_t(h.dfields.size());
    for (auto& f : h.fields) len += HFIELD_LEN + uint32_t(f.data.size());
    return len;
}

std::string encode_fixed_part(const MessageHeader& h, uint16_t length) {
    std::string o;
    o.reserve(size_t(blocks_for(std::max<uint32_t>(length, FIXED_HEADER_LEN))) * BLOCK_LEN);   // grown once
    o.append("SHD\x1a", 4);
    put16(o, h.type);
    put16(o, h.version);
    put16(o, length);
    put16(o, h.attr);
    put32(o, h.auxattr);
    put16(o, h.netattr);
    put16(o, h.when_written.year);
    put32(o, h.when_written.time);
    put16(o, uint16_t(h.when_written.zone));
    put32(o, h.when_imported_time);
    put16(o, uint16_t(h.when_imported_zone));
    put32(o, h.number);
    put32(o, h.thread_back);
    put32(o, h.thread_next);
    put32(o, h.thread_first);
    put16(o, h.delivery_attempts);
    put16(o, uint16_t(h.votes));
    put32(o, h.thread_id);
    o.push_back(char(h.priority));
    o.append(7, '\0');
    put32(o, h.offset);
    put16(o, uint16_t(h.dfields.size()));
    return o;
}

Status header_fits(const MessageHeader& h) {
    if (computed_header_length(h) > 0xFFFF) return make_error("message header exceeds 64 KiB", ErrorCode::TooLarge);
    for (auto& f : h.fields)
        if (f.data.size() > 0xFFFF) return make_error("header field exceeds 64 KiB", ErrorCode::TooLarge);
    return {};
}

Result<std::string> encode_header(const MessageHeader& h) {
    if (auto st = header_fits(h); !st) return st.error();
    uint32_t len = computed_header_length(h);
    std::string o = encode_fixed_part(h, uint16_t(len));
    for (auto& d : h.dfields) { put16(o, d.type); put32(o, d.offset); put32(o, d.length); }
    for (auto& f : h.fields) { put16(o, f.type); put16(o, uint16_t(f.data.size())); o += f.data; }
    o.resize(size_t(blocks_for(o.size())) * BLOCK_LEN, '\0');
    return o;
}

uint16_t type_for_attr(uint16_t attr) {
    if (attr & 0x8000) return 4;                       // MSG_FILE
    uint16_t v = attr & (0x2000 | 0x0800 | 0x1000);    // POLL | UPVOTE | DOWNVOTE
    if (v == 0) return 0;
    if (v == 0x2000) return 1;
    if (v == (0x2000 | 0x0800 | 0x1000)) return 3;
    return 2;
}

void trim_nuls(std::string& s) {
    while (!s.empty() && s.back() == '\0') s.pop_back();
}

Result<std::string> decode_data_field(std::string_view stored) {
    if (stored.size() < 2) return std::string();       // FMT-46: too short to hold text
    uint16_t x = get16(stored.data());
    if (x == xlat::NONE) {
        std::string t(stored.substr(2));
        trim_nuls(t);
        return t;
    }
    if (x == xlat::LZH) {
        if (stored.size() < 4 || get16(stored.data() + 2) != xlat::NONE)
            return make_error("unsupported translation after LZH", ErrorCode::Corrupt);
        auto t = lzh_decode(stored.substr(4));
        if (!t) return t.error();
        trim_nuls(*t);
        return t;
    }
    return make_error("unsupported translation type " + std::to_string(x), ErrorCode::Corrupt);
}

Result<std::string> decode_data_field(std::string&& stored) {
    if (stored.size() < 2 || get16(stored.data()) != xlat::NONE) return decode_data_field(std::string_view(stored));
    stored.erase(0, 2);                                  // the text moves down in place
    trim_nuls(stored);
    return std::move(stored);
}

namespace {
std::string lower_trimmed(std::string_view in) {
    std::string s(in.substr(0, in.find('\0')));          // the original hashes C strings
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    while (!s.empty()) {
        unsigned char c = uint8_t(s.back());
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' || c == 0xFF) s.pop_back();
        else break;
    }
    return s;
}
bool starts_re(std::string_view s) {
    return s.size() >= 3 && (s[0] == 'R' || s[0] == 'r') && (s[1] == 'E' || s[1] == 'e') && s[2] == ':';
}
} // namespace

uint16_t subject_crc(std::string_view subj) {
    subj = subj.substr(0, subj.find('\0'));
    while (starts_re(subj)) {
        subj.remove_prefix(3);
        while (!subj.empty() && subj.front() == ' ') subj.remove_prefix(1);
    }
    return crc16(lower_trimmed(subj));
}

uint16_t name_crc(std::string_view name) { return crc16(lower_trimmed(name)); }

uint16_t user_number(std::string_view ext) {
    uint32_t v = 0;
    size_t i = 0;
    while (i < ext.size() && (ext[i] == ' ' || ext[i] == '\t')) ++i;
    for (; i < ext.size() && ext[i] >= '0' && ext[i] <= '9'; ++i) v = v * 10 + uint32_t(ext[i] - '0');
    return uint16_t(v);
}

IndexRecord index_for(const MessageHeader& h, bool email_base) {
    IndexRecord r;
    if (email_base) {
        auto to = h.last(hf::RECIPIENTEXT);
        auto from = h.last(hf::SENDEREXT);
        r.to = to ? user_number(*to) : 0;
        r.from = from ? user_number(*from) : 0;
    } else {
        auto to = h.last(hf::RECIPIENT);
        auto from = h.last(hf::SENDER);
        r.to = to ? name_crc(*to) : 0;
        r.from = from ? name_crc(*from) : 0;
    }
    auto subj = h.last(hf::SUBJECT);
    r.subj = subj ? subject_crc(*subj) : 0;
    r.attr = h.attr;
    r.offset = h.header_offset;
    r.number = h.number;
    r.time = h.when_imported_time;
    return r;
}

When when_from_unix(uint32_t t) {
    LocalTime lt = local_time(t);
    When w;
    w.year = uint16_t(lt.year);
    w.time = uint32_t(lt.month) << 22 | uint32_t(lt.day) << 17 | uint32_t(lt.hour) << 12 |
             uint32_t(lt.minute) << 6 | uint32_t(lt.second);
    w.zone = int16_t(lt.utc_offset_min);
    return w;
}

} // namespace sbbs::smb
