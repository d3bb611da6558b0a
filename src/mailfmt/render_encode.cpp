// Header text helpers: CP437 to UTF-8, MIME encoded-words and the local form
// of user names in generated addresses (POP3-84, POP3-96).
#include "mailfmt/render_parts.h"

#include <cstdio>

namespace sbbs::render {

namespace {
// Unicode code points of CP437 0x80..0xFF.
constexpr uint16_t CP437_HIGH[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
    0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
    0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
    0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
    0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
    0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
    0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
    0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
    0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
    0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
    0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
    0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

bool is_ascii(std::string_view s) {
    for (char c : s) if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) { out += char(cp); return; }
    if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 0x3F)); return; }
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
}

// One "=?utf-8?q?...?=" word; cut once it reaches 71 characters, as the original does.
std::string encode_word(std::string_view word) {
    std::string out = "=?utf-8?q?";
    for (char c : word) {
        if (out.size() >= 71) break;
        auto b = static_cast<unsigned char>(c);
        if (b < 0x80 && c != '=' && c != ' ') { out += c; continue; }
        char hex[4];
        std::snprintf(hex, sizeof hex, "=%02X", b);
        out += hex;
    }
    return out + "?=";
}
} // namespace

std::string cp437_to_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size() * 2);
    for (char c : s) {
        auto b = static_cast<unsigned char>(c);
        if (b < 0x80) out += c;
        else append_utf8(out, CP437_HIGH[b - 0x80]);
    }
    return out;
}

std::string encode_header_field(std::string_view value, bool hfields_utf8) {
    if (is_ascii(value)) return std::string(value);
    std::string text = hfields_utf8 ? std::string(value) : cp437_to_utf8(value);
    std::string out;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t start = text.find_first_not_of(" \t", pos);
        if (start == std::string::npos) break;
        size_t end = text.find_first_of(" \t", start);
        if (end == std::string::npos) end = text.size();
        std::string_view word(text.data() + start, end - start);
        if (!out.empty()) out += ' ';
        out += is_ascii(word) ? std::string(word) : encode_word(word);
        pos = end;
    }
    return out;
}

std::string utf8_header_field(std::string_view value, bool hfields_utf8) {
    if (is_ascii(value) || hfields_utf8) return std::string(value);
    return cp437_to_utf8(value);
}

std::string mail_local_form(std::string_view name) {
    std::string out;
    if (name.find('@') != std::string_view::npos) return std::string(name);
    if (name.find('.') != std::string_view::npos && name.find(' ') != std::string_view::npos) {
        for (char c : name)                 // "Dr. Seuss" -> "Dr.Seuss"
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out += c;
        return out;
    }
    if (name.find('!') != std::string_view::npos) return "\"" + std::string(name) + "\"";
    for (char c : name)                     // "John Doe" -> "John.Doe"
        out += (c == ' ' || static_cast<unsigned char>(c) >= 0x80) ? '.' : c;
    return out;
}

} // namespace sbbs::render
