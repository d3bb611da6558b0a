// Escaping control characters for the log sinks (see printable_text.h).
#include "log/printable_text.h"

namespace sbbs {

namespace {
bool is_control(unsigned char u) { return u < 0x20 || u == 0x7F; }
} // namespace

// Runs of printable bytes are copied whole: a log line rarely holds a
// control character, and appending byte by byte cost more than the line.
void append_printable(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size());
    size_t run = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (!is_control(u)) continue;
        out.append(text.data() + run, i - run);
        out.push_back('^');
        out.push_back(u == 0x7F ? '?' : static_cast<char>('@' + u));
        run = i + 1;
    }
    out.append(text.data() + run, text.size() - run);
}

std::string printable(std::string_view text) {
    std::string out;
    append_printable(out, text);
    return out;
}

} // namespace sbbs
