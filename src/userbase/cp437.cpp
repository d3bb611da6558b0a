// The upper half of code page 437 as Unicode code points, searched in reverse.
#include "userbase/cp437.h"

#include <cstdint>

namespace sbbs {
namespace {

const uint16_t kUpper[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
    0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
    0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
    0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
    0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
    0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248, 0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

char to_cp437(uint32_t cp) {
    if (cp < 0x80) return static_cast<char>(cp);
    for (int i = 0; i < 128; ++i)
        if (kUpper[i] == cp) return static_cast<char>(0x80 + i);
    return '?';
}

// Decodes one sequence at `i`; returns 0xFFFFFFFF for malformed input.
uint32_t next_code_point(std::string_view s, size_t& i) {
    const unsigned char b = static_cast<unsigned char>(s[i++]);
    if (b < 0x80) return b;
    int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
    if (extra < 0 || b >= 0xF8) return 0xFFFFFFFF;
    uint32_t cp = b & (0x3F >> extra);
    for (int k = 0; k < extra; ++k) {
        if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFFFFFF;
        cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
    }
    return cp;
}

} // namespace

std::string utf8_to_cp437(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (size_t i = 0; i < utf8.size();) out += to_cp437(next_code_point(utf8, i));
    return out;
}

std::optional<std::string> utf8_to_cp437_exact(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (size_t i = 0; i < utf8.size();) {
        const bool multibyte = static_cast<unsigned char>(utf8[i]) >= 0x80;
        uint32_t cp = next_code_point(utf8, i);
        if (multibyte && cp < 0x80) return std::nullopt;     // overlong: no ASCII smuggled in
        char c = to_cp437(cp);
        if (c == '?' && cp != '?') return std::nullopt;
        out += c;
    }
    return out;
}

// CP437 has only these eight case pairs among its letters 0x80-0xA5; the
// others (ÿ, ß, the Greek letters) have no partner in the code page.
char cp437_lower(char c) {
    unsigned char b = static_cast<unsigned char>(c);
    if (b >= 'A' && b <= 'Z') return static_cast<char>(b - 'A' + 'a');
    switch (b) {
    case 0x80: return '\x87';   // Ç -> ç
    case 0x9A: return '\x81';   // Ü -> ü
    case 0x90: return '\x82';   // É -> é
    case 0x8E: return '\x84';   // Ä -> ä
    case 0x8F: return '\x86';   // Å -> å
    case 0x92: return '\x91';   // Æ -> æ
    case 0x99: return '\x94';   // Ö -> ö
    case 0xA5: return '\xA4';   // Ñ -> ñ
    default: return c;
    }
}

bool cp437_iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (cp437_lower(a[i]) != cp437_lower(b[i])) return false;
    return true;
}

} // namespace sbbs
