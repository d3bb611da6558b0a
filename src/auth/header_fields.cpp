// Splitting a received header into fields (see header_fields.h).
#include "auth/header_fields.h"

namespace sbbs::auth {

namespace {
bool wsp(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && wsp(s.back())) s.remove_suffix(1);
    return s;
}

// The field's text without its final line ending.
std::string_view without_eol(std::string_view s) {
    if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
}
} // namespace

std::vector<HeaderFieldSpan> header_fields(std::string_view message) {
    std::vector<HeaderFieldSpan> fields;
    size_t pos = 0;
    bool open = false;                  // the last field may take continuation lines
    while (pos < message.size()) {
        size_t nl = message.find('\n', pos);
        size_t next = nl == std::string_view::npos ? message.size() : nl + 1;
        std::string_view line = without_eol(message.substr(pos, next - pos));
        if (line.empty()) break;        // end of header
        if (wsp(line.front())) {
            if (open) fields.back().end = next;
        } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
            fields.push_back({trim_right(line.substr(0, colon)), {}, pos, next});
            open = true;
        } else {
            open = false;
        }
        pos = next;
    }
    for (auto& f : fields) {
        std::string_view text = without_eol(message.substr(f.begin, f.end - f.begin));
        f.value = text.substr(text.find(':') + 1);
    }
    return fields;
}

} // namespace sbbs::auth
