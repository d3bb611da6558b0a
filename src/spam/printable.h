// Peer-supplied text (addresses, subjects, PTR names) on its way into a log
// line, spam.log or a list file: control characters become '?', so a hostile
// value can neither forge a line nor add a TAB-separated metadata item.
#pragma once

#include <string>
#include <string_view>

namespace sbbs::spam {

inline std::string printable(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return out;
}

} // namespace sbbs::spam
