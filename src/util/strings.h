// Small string helpers shared by every module (ASCII-only case rules, as the
// original's C library calls use).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

std::string_view trim(std::string_view s);            // space, TAB, CR, LF, VT, FF
std::string_view trim_right(std::string_view s);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);  // ASCII case-insensitive
bool istarts_with(std::string_view s, std::string_view prefix);
bool iends_with(std::string_view s, std::string_view suffix);
// Split on `sep`, keeping empty items.
std::vector<std::string> split(std::string_view s, char sep);
// Decimal digits only, non-empty.
bool all_digits(std::string_view s);
// Printable ASCII only (0x20-0x7E; anything else becomes '?'), at most `max`
// octets: for text a peer chose that goes into a header field or a reply,
// where a CR or LF would start a line of its own.
std::string printable_ascii(std::string_view s, size_t max = 900);

} // namespace sbbs
