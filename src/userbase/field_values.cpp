// Field value codecs; the C library parsers are used on purpose so values
// read exactly as the original's strtoul/strtoull calls read them.
#include "userbase/field_values.h"

#include <cstdio>
#include <cstdlib>

namespace sbbs::userfield {

uint64_t parse_number(std::string_view s) {
    std::string z(s);
    return std::strtoull(z.c_str(), nullptr, 0);
}

uint64_t parse_decimal(std::string_view s) {
    std::string z(s);
    return std::strtoull(z.c_str(), nullptr, 10);
}

uint32_t parse_hex32(std::string_view s) {
    std::string z(s);
    return static_cast<uint32_t>(std::strtoull(z.c_str(), nullptr, 16));
}

std::string format_hex32(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%x", static_cast<unsigned>(v));
    return buf;
}

uint32_t parse_letters(std::string_view s) {
    uint32_t bits = 0;
    for (char c : s) {
        if (c >= 'a' && c <= 'z') bits |= 1u << (c - 'a');
        else if (c >= 'A' && c <= 'Z') bits |= 1u << (c - 'A');
    }
    return bits;
}

std::string format_letters(uint32_t bits) {
    std::string out(26, ' ');
    for (int i = 0; i < 26; ++i)
        if (bits & (1u << i)) out[i] = static_cast<char>('A' + i);
    return out;
}

} // namespace sbbs::userfield
