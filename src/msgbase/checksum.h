// Checksums and digests stored in SMB indexes and hash files (FMT-124..126).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sbbs::smb {

uint16_t crc16(std::string_view data);            // CRC-16/XMODEM, FMT-124
uint32_t crc32(std::string_view data);            // IEEE CRC-32, FMT-125
// The CRC-32 of text in pieces: crc32(b, crc32(a)) == crc32(a + b).
uint32_t crc32(std::string_view data, uint32_t crc_so_far);
std::array<uint8_t, 16> md5(std::string_view data);   // RFC 1321
std::array<uint8_t, 20> sha1(std::string_view data);  // FIPS 180-1

} // namespace sbbs::smb
