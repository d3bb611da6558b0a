// Byte-exact encoding and decoding of the SMB on-disk records (smb.md 3-6,
// 9, 11): pure functions over memory, shared by reader, writer, checker and
// the fuzz target.
#pragma once

#include "msgbase/message.h"
#include "util/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::smb {

constexpr uint32_t BLOCK_LEN = 256;              // FMT-4
constexpr uint32_t BASE_HEADER_LEN = 32;
constexpr uint32_t FIXED_HEADER_LEN = 70;        // msghdr_t
constexpr uint32_t DFIELD_LEN = 10;
constexpr uint32_t HFIELD_LEN = 4;
constexpr uint32_t INDEX_LEN = 20;               // idxrec_t
constexpr uint32_t FILE_INDEX_LEN = 128;         // fileidxrec_t, FMT-77
constexpr uint16_t FORMAT_VERSION = 0x0310;
constexpr uint16_t MIN_VERSION = 0x0110;

namespace dfield { constexpr uint16_t TEXT_BODY = 0x00, TEXT_TAIL = 0x02; }
namespace xlat { constexpr uint16_t NONE = 0, LZH = 9; }

struct BaseStatus {                              // smbhdr_t + smbstatus_t, FMT-11..16
    uint16_t version = FORMAT_VERSION;
    uint32_t last_msg = 0, total_msgs = 0, header_offset = BASE_HEADER_LEN;
    uint32_t max_crcs = 0, max_msgs = 0;
    uint16_t max_age = 0, attr = 0;
};

inline uint32_t blocks_for(uint64_t bytes) { return uint32_t((bytes + BLOCK_LEN - 1) / BLOCK_LEN); }
inline uint32_t index_record_len(const BaseStatus& s) {
    return (s.attr & 0x0008) ? FILE_INDEX_LEN : INDEX_LEN;
}

// Little-endian helpers (FMT-1).
uint16_t get16(const void* p);
uint32_t get32(const void* p);
void put16(std::string& out, uint16_t v);
void put32(std::string& out, uint32_t v);
void set16(void* p, uint16_t v);
void set32(void* p, uint32_t v);

// Base header: `file` names the .shd for error messages.
Result<BaseStatus> decode_base_header(std::string_view bytes, const std::string& file);
std::string encode_base_header(const BaseStatus& s);

IndexRecord decode_index(const void* p);         // 20 bytes
std::string encode_index(const IndexRecord& r);

// Fixed part + dfields + fields of one header record (FMT-20..22, FMT-99).
// `bytes` holds at least `length` bytes starting at the header.
Result<MessageHeader> decode_header(std::string_view bytes);
// Length stored in the first 70 bytes (0 when they are not a header).
uint16_t stored_header_length(std::string_view fixed70);
uint32_t computed_header_length(const MessageHeader& h);   // FMT-21
// The record padded with zeros to whole blocks (FMT-18); `h.length` is
// computed. Fails when the header would exceed 64 KiB.
Result<std::string> encode_header(const MessageHeader& h);
// Whether encode_header(h) would succeed (every field and the whole header
// within 64 KiB), without building the bytes: an add checks each copy's
// header before it stores anything, and encodes it only once, later.
Status header_fits(const MessageHeader& h);
std::string encode_fixed_part(const MessageHeader& h, uint16_t length);

uint16_t type_for_attr(uint16_t attr);           // FMT-23
// One data field's stored bytes (translation words included) to text.
Result<std::string> decode_data_field(std::string_view stored);
// The same, reusing `stored`'s buffer for untranslated text (SEC-11: no second copy of a large body).
Result<std::string> decode_data_field(std::string&& stored);
// Strips trailing NULs (FMT-46).
void trim_nuls(std::string& s);

uint16_t subject_crc(std::string_view subject);  // FMT-74
uint16_t name_crc(std::string_view name);        // FMT-75
// Index record for a header (FMT-73, FMT-75, FMT-76).
IndexRecord index_for(const MessageHeader& h, bool email_base);
uint16_t user_number(std::string_view ext);      // decimal string, truncated to u16

// when_t packing (FMT-24): packed local wall clock + zone in minutes.
When when_from_unix(uint32_t t);

} // namespace sbbs::smb
