// Duplicate-detection hash records of .hash files (smb.md 13.5, FMT-100..102).
#pragma once

#include "msgbase/message.h"
#include "util/text_pieces.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::smb {

constexpr uint32_t HASH_LEN = 64;
namespace hash_source { constexpr uint8_t BODY = 0, MSG_ID = 1, FTN_ID = 2, SUBJECT = 3; }
namespace hash_flags {
constexpr uint8_t CRC16 = 0x01, CRC32 = 0x02, MD5 = 0x04, SHA1 = 0x08, MARKED = 0x10,
    STRIP_CTRL_A = 0x20, STRIP_WSP = 0x40, LOWERCASE = 0x80;
}

struct HashRecord {
    uint32_t number = 0, time = 0, length = 0;
    uint8_t source = 0, flags = 0;
    uint16_t crc16 = 0;
    uint32_t crc32 = 0;
    std::array<uint8_t, 16> md5{};
    std::array<uint8_t, 20> sha1{};
};

HashRecord decode_hash(const void* p64);
std::string encode_hash(const HashRecord& h);
// Hashes `data` after the pre-processing named in `flags`; nullopt-like
// empty result (length 0) when nothing is left to hash.
HashRecord make_hash(uint32_t number, uint32_t time, uint8_t source, uint8_t flags, std::string_view data);
// Message-ID, FTN MSGID, body: the set stored per message (FMT-100); the
// body is hashed over its pieces, with one pre-processed copy (SEC-11).
std::vector<HashRecord> message_hashes(const MessageHeader& h, const TextPieces& body, uint32_t time);
bool same_hash(const HashRecord& a, const HashRecord& b);

} // namespace sbbs::smb
