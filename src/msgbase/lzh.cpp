// LZHUF decoding: LZSS window + adaptive Huffman literals/lengths + static
// prefix code for match positions, bit-exact to FMT-52..FMT-60.
#include "msgbase/lzh.h"

#include <array>
#include <cstdint>

namespace sbbs::smb {

namespace {

constexpr int N = 4096, F = 60, THRESHOLD = 2;
constexpr int NCHAR = 256 - THRESHOLD + F;   // C = 314
constexpr int S = NCHAR * 2 - 1;              // 627
constexpr int R = S - 1;                      // 626
constexpr unsigned MAX_FREQ = 0x8000;

class BitReader {
public:
    explicit BitReader(std::string_view in) : in_(in) {}
    int bit() {                                   // FMT-52: MSB first, 0 past the end
        size_t byte = pos_ >> 3;
        int b = byte < in_.size() ? (uint8_t(in_[byte]) >> (7 - (pos_ & 7))) & 1 : 0;
        ++pos_;
        return b;
    }
    unsigned bits(int n) { unsigned v = 0; while (n--) v = (v << 1) | unsigned(bit()); return v; }
    bool overrun_by_a_byte() const { return pos_ >= in_.size() * 8 + 8; }

private:
    std::string_view in_;
    size_t pos_ = 0;
};

struct PositionCode { uint8_t upper, length; };

// FMT-60: canonical prefix code for the upper 6 bits, indexed by the next 8 bits.
std::array<PositionCode, 256> make_position_table() {
    std::array<PositionCode, 256> t{};
    unsigned code = 0, len = 3;
    for (unsigned u = 0; u < 64; ++u) {
        unsigned want = u == 0 ? 3 : u < 4 ? 4 : u < 12 ? 5 : u < 24 ? 6 : u < 48 ? 7 : 8;
        code <<= (want - len);
        len = want;
        for (unsigned i = code << (8 - len); i < (code + 1) << (8 - len); ++i) t[i] = {uint8_t(u), uint8_t(len)};
        ++code;
    }
    return t;
}

class Model {                                     // FMT-55..58
public:
    Model() {
        for (int i = 0; i < NCHAR; ++i) { freq_[i] = 1; son_[i] = i + S; prnt_[i + S] = i; }
        for (int i = 0, j = NCHAR; j <= R; i += 2, ++j) {
            freq_[j] = uint16_t(freq_[i] + freq_[i + 1]);
            son_[j] = i;
            prnt_[i] = prnt_[i + 1] = j;
        }
        freq_[S] = 0xFFFF;
        prnt_[R] = 0;
    }
    int decode(BitReader& in) {
        int c = son_[R];
        while (c < S) c = son_[c + in.bit()];
        c -= S;
        update(c);
        return c;
    }

private:
    void rebuild() {
        int j = 0;
        for (int i = 0; i < S; ++i)
            if (son_[i] >= S) { freq_[j] = uint16_t((freq_[i] + 1) / 2); son_[j] = son_[i]; ++j; }
        for (int i = 0, jj = NCHAR; jj < S; i += 2, ++jj) {
            unsigned f = unsigned(freq_[i]) + freq_[i + 1];
            freq_[jj] = uint16_t(f);
            int k = jj - 1;
            while (f < freq_[k]) --k;
            ++k;
            for (int m = jj; m > k; --m) { freq_[m] = freq_[m - 1]; son_[m] = son_[m - 1]; }
            freq_[k] = uint16_t(f);
            son_[k] = i;
        }
        for (int i = 0; i < S; ++i) {
            int k = son_[i];
            if (k >= S) prnt_[k] = i;
            else prnt_[k] = prnt_[k + 1] = i;
        }
    }
    void update(int sym) {
        if (freq_[R] == MAX_FREQ) rebuild();
        int c = prnt_[sym + S];
        do {
            unsigned k = ++freq_[c];
            int l = c + 1;
            if (k > freq_[l]) {
                while (k > freq_[++l]) {}
                --l;
                freq_[c] = freq_[l];
                freq_[l] = uint16_t(k);
                int i = son_[c];
                prnt_[i] = l;
                if (i < S) prnt_[i + 1] = l;
                int j = son_[l];
                son_[l] = i;
                prnt_[j] = c;
                if (j < S) prnt_[j + 1] = c;
                son_[c] = j;
                c = l;
            }
        } while ((c = prnt_[c]) != 0);
    }

    std::array<uint16_t, S + 1> freq_{};
    std::array<int, S + NCHAR> prnt_{};
    std::array<int, S> son_{};
};

} // namespace

Result<std::string> lzh_decode(std::string_view stream) {
    if (stream.size() < 4) return make_error("LZH stream shorter than its length word", ErrorCode::Corrupt);
    uint32_t size = uint32_t(uint8_t(stream[0])) | uint32_t(uint8_t(stream[1])) << 8 |
                    uint32_t(uint8_t(stream[2])) << 16 | uint32_t(uint8_t(stream[3])) << 24;
    std::string_view bits = stream.substr(4);
    // Each symbol takes at least one bit and yields at most F bytes.
    if (uint64_t(size) > (uint64_t(bits.size()) + 1) * 8 * F)
        return make_error("LZH stated length " + std::to_string(size) + " impossible for " +
                              std::to_string(bits.size()) + " bytes of stream",
                          ErrorCode::Corrupt);
    static const std::array<PositionCode, 256> positions = make_position_table();
    std::array<uint8_t, N> window;
    window.fill(0);
    for (int i = 0; i < N - F; ++i) window[i] = ' ';
    int r = N - F;
    BitReader in(bits);
    Model model;
    std::string out;
    out.reserve(size);
    while (out.size() < size) {
        if (in.overrun_by_a_byte())
            return make_error("LZH stream ends after " + std::to_string(out.size()) + " of " +
                                  std::to_string(size) + " bytes",
                              ErrorCode::Corrupt);
        int c = model.decode(in);
        if (c < 256) {
            out.push_back(char(c));
            window[r] = uint8_t(c);
            r = (r + 1) & (N - 1);
            continue;
        }
        unsigned first = in.bits(8);
        PositionCode pc = positions[first];
        unsigned low = first;
        for (int k = 0; k < pc.length - 2; ++k) low = (low << 1) | unsigned(in.bit());
        unsigned p = (unsigned(pc.upper) << 6) | (low & 0x3F);
        int from = (r - int(p) - 1) & (N - 1);
        int len = c - 255 + THRESHOLD;
        for (int k = 0; k < len && out.size() < size; ++k) {
            uint8_t b = window[(from + k) & (N - 1)];
            out.push_back(char(b));
            window[r] = b;
            r = (r + 1) & (N - 1);
        }
    }
    if (in.overrun_by_a_byte())
        return make_error("LZH stream is truncated", ErrorCode::Corrupt);
    return out;
}

} // namespace sbbs::smb
