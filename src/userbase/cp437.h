// UTF-8 to CP437 conversion for notices of UTF-8 messages (USER-56), and
// CP437 letter case for comparing names that carry 8-bit letters (USER-10).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sbbs {

// Characters CP437 lacks (and malformed sequences) become '?'.
std::string utf8_to_cp437(std::string_view utf8);

// USER-10: the CP437 bytes of `utf8` when every character has one (names
// are compared in the user base's own code page); nullopt otherwise, so a
// name CP437 cannot write never turns into a different one with '?'s.
std::optional<std::string> utf8_to_cp437_exact(std::string_view utf8);

// The lower-case form of a CP437 byte: ASCII A-Z and the upper/lower pairs
// CP437 has (Ç/ç Ü/ü É/é Ä/ä Å/å Æ/æ Ö/ö Ñ/ñ); any other byte as it is.
char cp437_lower(char c);

// Equal up to cp437_lower: "J\x99RGEN" (JÖRGEN) equals "J\x94rgen" (Jörgen).
bool cp437_iequals(std::string_view a, std::string_view b);

} // namespace sbbs
