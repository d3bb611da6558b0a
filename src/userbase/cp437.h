// UTF-8 to CP437 conversion for notices of UTF-8 messages (USER-56).
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

} // namespace sbbs
