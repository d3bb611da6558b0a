// Decoding of C-style backslash escapes in list lines and ':' INI values
// (CFG-19, CFG-124), the way the original decodes them.
#pragma once

#include <string>
#include <string_view>

namespace sbbs {

// \a \b \e \f \n \r \t \v, \xHH (at most two hex digits) and \NNN (at most
// three DECIMAL digits, as the original is built); any other escaped
// character stands for itself (\\ \" \').
std::string c_unescape(std::string_view s);

} // namespace sbbs
