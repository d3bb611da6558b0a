// RFC 6533 3: utf-8-addr-xtext / utf-8-addr-unitext of ORCPT=utf-8;...
#include "dsn/utf8_addr.h"

#include <cstdint>

namespace sbbs::dsn {

namespace {

// QCHAR: printable ASCII except "\", "+" and "=".
bool is_qchar(unsigned char c) { return c >= 0x21 && c <= 0x7E && c != '\\' && c != '+' && c != '='; }

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;   // ABNF literals are case-insensitive
    return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) out += char(cp);
    else if (cp < 0x800) { out += char(0xC0 | cp >> 6); out += char(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) {
        out += char(0xE0 | cp >> 12); out += char(0x80 | (cp >> 6 & 0x3F)); out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | cp >> 18); out += char(0x80 | (cp >> 12 & 0x3F));
        out += char(0x80 | (cp >> 6 & 0x3F)); out += char(0x80 | (cp & 0x3F));
    }
}

// "\x{HEX}" at `s` (HEXPOINT: 2 to 6 digits, a Unicode scalar value that is
// not a control character); the code point and the length taken.
std::optional<std::pair<uint32_t, size_t>> embedded_char(std::string_view s) {
    if (s.size() < 6 || s.substr(0, 3) != "\\x{") return std::nullopt;
    auto close = s.find('}', 3);
    if (close == std::string_view::npos || close - 3 < 2 || close - 3 > 6) return std::nullopt;
    uint32_t cp = 0;
    for (size_t i = 3; i < close; ++i) {
        int d = hex_digit(s[i]);
        if (d < 0) return std::nullopt;
        cp = cp * 16 + uint32_t(d);
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return std::nullopt;
    return std::pair{cp, close + 1};
}

// The character a UTF-8 sequence at `s` (a non-ASCII lead byte) spells and
// its length; nullopt unless it is the shortest form of a Unicode scalar
// value that no "\x{HEX}" refuses (so both forms decode alike).
std::optional<std::pair<uint32_t, size_t>> utf8_char(std::string_view s) {
    unsigned char c = s[0];
    size_t n = c >= 0xF8 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (n == 0 || n > s.size()) return std::nullopt;
    uint32_t cp = c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) {
        if ((uint8_t(s[k]) & 0xC0) != 0x80) return std::nullopt;
        cp = cp << 6 | (uint8_t(s[k]) & 0x3F);
    }
    static const uint32_t shortest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < shortest[n] || cp < 0xA0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return std::nullopt;
    return std::pair{cp, n};
}

} // namespace

std::optional<std::string> utf8_addr_decode(std::string_view v, bool unitext) {
    std::string out;
    for (size_t i = 0; i < v.size();) {
        unsigned char c = v[i];
        if (is_qchar(c)) { out += char(c); ++i; continue; }
        if (c == '\\') {
            auto e = embedded_char(v.substr(i));
            if (!e) return std::nullopt;
            append_utf8(out, e->first);
            i += e->second;
            continue;
        }
        auto u = unitext && c >= 0x80 ? utf8_char(v.substr(i)) : std::nullopt;
        if (!u) return std::nullopt;
        out.append(v.substr(i, u->second));
        i += u->second;
    }
    if (out.empty()) return std::nullopt;
    return out;
}

std::string utf8_addr_encode(std::string_view utf8) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    for (size_t i = 0; i < utf8.size();) {
        unsigned char c = utf8[i];
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (c < 0x80 && is_qchar(c)) { out += char(c); ++i; continue; }
        uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
        for (size_t k = 1; k < n && i + k < utf8.size(); ++k) cp = cp << 6 | (uint8_t(utf8[i + k]) & 0x3F);
        std::string hex;
        do { hex.insert(hex.begin(), digits[cp & 15]); cp >>= 4; } while (cp);
        if (hex.size() < 2) hex.insert(hex.begin(), '0');
        out += "\\x{" + hex + "}";
        i += n;
    }
    return out;
}

} // namespace sbbs::dsn
