// UTF-8 to CP437 conversion for notices of UTF-8 messages (USER-56).
#pragma once

#include <string>
#include <string_view>

namespace sbbs {

// Characters CP437 lacks (and malformed sequences) become '?'.
std::string utf8_to_cp437(std::string_view utf8);

} // namespace sbbs
