// Decoding and encoding of user.tab field values: numbers, flag words and
// letter sets (userbase.md USER-13, USER-14).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sbbs::userfield {

// C strtoul base-0 rules ("0x1f" hex, "017" octal), empty = 0.
uint64_t parse_number(std::string_view s);
// Plain decimal, as LEVEL and adjusted counters are read; "010" is 10.
uint64_t parse_decimal(std::string_view s);
// Hexadecimal digits up to the first non-hex character (MISC, QWK, CHAT, MAIL).
uint32_t parse_hex32(std::string_view s);
std::string format_hex32(uint32_t v);   // lower case, no prefix

// Letters A-Z in either case set bit (letter - 'A'); anything else is ignored.
uint32_t parse_letters(std::string_view s);
// The original writer's 26-character form: the letter or a space per bit.
std::string format_letters(uint32_t bits);

} // namespace sbbs::userfield
