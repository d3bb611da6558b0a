// Escaping control characters for the log sinks (see printable_text.h).
#include "log/printable_text.h"

namespace sbbs {

void append_printable(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size());
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) {
            out.push_back('^');
            out.push_back(u == 0x7F ? '?' : static_cast<char>('@' + u));
        } else {
            out.push_back(c);
        }
    }
}

std::string printable(std::string_view text) {
    std::string out;
    append_printable(out, text);
    return out;
}

} // namespace sbbs
