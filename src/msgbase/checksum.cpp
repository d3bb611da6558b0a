// CRC-16/XMODEM, CRC-32, MD5 and SHA-1 written from their public definitions.
#include "msgbase/checksum.h"

#include <array>
#include <cstring>

namespace sbbs::smb {

uint16_t crc16(std::string_view data) {
    uint16_t crc = 0;
    for (unsigned char c : data) {
        crc ^= uint16_t(c << 8);
        for (int i = 0; i < 8; ++i) crc = (crc & 0x8000) ? uint16_t((crc << 1) ^ 0x1021) : uint16_t(crc << 1);
    }
    return crc;
}

uint32_t crc32(std::string_view data) { return crc32(data, 0); }

namespace {

// The reflected polynomial's remainder for every byte value, made once at
// compile time: a byte per table look-up instead of a bit per step (every
// add fingerprints its first and last data block, issue #14).
constexpr std::array<uint32_t, 256> crc32_table() {
    std::array<uint32_t, 256> t{};
    for (uint32_t b = 0; b < 256; ++b) {
        uint32_t crc = b;
        for (int i = 0; i < 8; ++i) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        t[b] = crc;
    }
    return t;
}
constexpr std::array<uint32_t, 256> CRC32_TABLE = crc32_table();

} // namespace

uint32_t crc32(std::string_view data, uint32_t crc_so_far) {
    uint32_t crc = ~crc_so_far;
    for (unsigned char c : data) crc = CRC32_TABLE[(crc ^ c) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

namespace {

uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

// Hands `block` each 64-byte block of `data` padded per both digests'
// shared scheme (0x80, zeros, 64-bit bit length). Only the last partial
// block is copied: a large body is digested where it is (SEC-11).
template <class Block>
void each_padded_block(std::string_view data, bool big_endian_length, Block block) {
    auto bytes = reinterpret_cast<const uint8_t*>(data.data());
    size_t full = data.size() / 64 * 64;
    for (size_t off = 0; off < full; off += 64) block(bytes + off);
    uint8_t last[128] = {};
    size_t rest = data.size() - full;
    if (rest) std::memcpy(last, bytes + full, rest);
    last[rest] = 0x80;
    size_t len = rest < 56 ? 64 : 128;                    // room for the length after the 0x80
    uint64_t bits = uint64_t(data.size()) * 8;
    for (int i = 0; i < 8; ++i)
        last[len - 8 + size_t(i)] = uint8_t(big_endian_length ? bits >> (56 - 8 * i) : bits >> (8 * i));
    for (size_t off = 0; off < len; off += 64) block(last + off);
}

} // namespace

std::array<uint8_t, 16> md5(std::string_view data) {
    static const uint32_t K[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
    static const int S[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                              5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                              4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                              6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    each_padded_block(data, false, [&](const uint8_t* m) {
        uint32_t w[16];
        for (int i = 0; i < 16; ++i)
            w[i] = uint32_t(m[4 * i]) | uint32_t(m[4 * i + 1]) << 8 | uint32_t(m[4 * i + 2]) << 16 |
                   uint32_t(m[4 * i + 3]) << 24;
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
        for (int i = 0; i < 64; ++i) {
            uint32_t f;
            int g;
            if (i < 16) { f = (b & c) | (~b & d); g = i; }
            else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) % 16; }
            else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) % 16; }
            else { f = c ^ (b | ~d); g = (7 * i) % 16; }
            uint32_t tmp = d;
            d = c;
            c = b;
            b = b + rol(a + f + K[i] + w[g], S[i]);
            a = tmp;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    });
    std::array<uint8_t, 16> out{};
    for (int i = 0; i < 16; ++i) out[i] = uint8_t(h[i / 4] >> (8 * (i % 4)));
    return out;
}

std::array<uint8_t, 20> sha1(std::string_view data) {
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    each_padded_block(data, true, [&](const uint8_t* m) {
        uint32_t w[80];
        for (int i = 0; i < 16; ++i)
            w[i] = uint32_t(m[4 * i]) << 24 | uint32_t(m[4 * i + 1]) << 16 | uint32_t(m[4 * i + 2]) << 8 |
                   uint32_t(m[4 * i + 3]);
        for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; ++i) {
            uint32_t f, k;
            if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
            else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
            else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
            else { f = b ^ c ^ d; k = 0xCA62C1D6; }
            uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = d; d = c; c = rol(b, 30); b = a; a = t;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
    });
    std::array<uint8_t, 20> out{};
    for (int i = 0; i < 20; ++i) out[i] = uint8_t(h[i / 4] >> (24 - 8 * (i % 4)));
    return out;
}

} // namespace sbbs::smb
