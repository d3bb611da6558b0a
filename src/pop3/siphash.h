// SipHash (Aumasson & Bernstein), fed in pieces: the keyed hash behind the
// POP3 size memo's keys. Keyed with a secret, so a sender cannot craft two
// headers that share a key without knowing it; about 2 instructions a byte
// with one compression round, where SHA-256 through EVP cost 15.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace sbbs::pop3 {

struct Hash128 {
    uint64_t lo = 0, hi = 0;
    bool operator==(const Hash128& o) const { return lo == o.lo && hi == o.hi; }
};

// SipHash-C-D; 64- or 128-bit output as in the reference implementation.
template <int C, int D>
class SipHasher {
public:
    SipHasher(uint64_t k0, uint64_t k1, bool wide) : wide_(wide) {
        v_[0] = k0 ^ 0x736f6d6570736575ULL;
        v_[1] = k1 ^ 0x646f72616e646f6dULL;
        v_[2] = k0 ^ 0x6c7967656e657261ULL;
        v_[3] = k1 ^ 0x7465646279746573ULL;
        if (wide_) v_[1] ^= 0xee;
    }

    void add(const void* data, size_t n) {
        auto p = static_cast<const unsigned char*>(data);
        total_ += n;
        if (have_) {                               // fill the partial word first
            size_t take = n < 8 - have_ ? n : 8 - have_;
            for (size_t i = 0; i < take; ++i) buf_[have_ + i] = p[i];
            have_ += take;
            p += take;
            n -= take;
            if (have_ < 8) return;
            compress(load(buf_));
            have_ = 0;
        }
        if (n >= 8) {                              // the bulk in registers, not through this object
            uint64_t v0 = v_[0], v1 = v_[1], v2 = v_[2], v3 = v_[3];
            for (; n >= 8; p += 8, n -= 8) {
                uint64_t m = load(p);
                v3 ^= m;
                for (int i = 0; i < C; ++i) sip_round(v0, v1, v2, v3);
                v0 ^= m;
            }
            v_[0] = v0, v_[1] = v1, v_[2] = v2, v_[3] = v3;
        }
        for (size_t i = 0; i < n; ++i) buf_[i] = p[i];
        have_ = n;
    }
    void add(std::string_view s) { add(s.data(), s.size()); }
    // Whole words, the last one zero-padded: no partial-word bookkeeping, for
    // callers that feed lengths first (so padding cannot make two inputs equal).
    void add_word(uint64_t m) { add_padded(&m, 8); }
    void add_padded(const void* data, size_t n) {
        size_t whole = n & ~size_t(7);
        if (have_ || whole) add(data, whole);
        if (size_t rest = n - whole) {
            unsigned char last[8] = {};
            std::memcpy(last, static_cast<const unsigned char*>(data) + whole, rest);
            add(last, 8);
        }
    }

    Hash128 finish() {
        uint64_t last = uint64_t(total_ & 0xff) << 56;
        for (size_t i = 0; i < have_; ++i) last |= uint64_t(buf_[i]) << (8 * i);
        compress(last);
        v_[2] ^= wide_ ? 0xee : 0xff;
        for (int i = 0; i < D; ++i) round();
        Hash128 out;
        out.lo = v_[0] ^ v_[1] ^ v_[2] ^ v_[3];
        if (!wide_) return out;
        v_[1] ^= 0xdd;
        for (int i = 0; i < D; ++i) round();
        out.hi = v_[0] ^ v_[1] ^ v_[2] ^ v_[3];
        return out;
    }

private:
    static uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }
    static uint64_t load(const unsigned char* p) {    // little-endian words on any host
        uint64_t m;
        std::memcpy(&m, p, 8);
        if constexpr (std::endian::native == std::endian::big) m = __builtin_bswap64(m);
        return m;
    }
    static void sip_round(uint64_t& v0, uint64_t& v1, uint64_t& v2, uint64_t& v3) {
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
    }
    void round() { sip_round(v_[0], v_[1], v_[2], v_[3]); }
    void compress(uint64_t m) {
        v_[3] ^= m;
        for (int i = 0; i < C; ++i) round();
        v_[0] ^= m;
    }

    uint64_t v_[4];
    unsigned char buf_[8] = {};
    size_t have_ = 0;
    uint64_t total_ = 0;
    bool wide_;
};

} // namespace sbbs::pop3
