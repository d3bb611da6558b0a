// MIME pieces of a message with file attachments: the boundary, the file
// names from the subject and base64 lines (POP3-92, POP3-93).
#include "mailfmt/render_parts.h"

namespace sbbs::render {

namespace {
// The sequence of the C library's rand() after srand(seed) on the original's
// platform (glibc's additive generator, TYPE_3), so a boundary matches the
// original's for the same message.
class GlibcRand {
public:
    explicit GlibcRand(uint32_t seed) {
        int32_t r[34];
        r[0] = seed ? int32_t(seed) : 1;
        for (int i = 1; i < 31; ++i) {
            int64_t word = (16807LL * r[i - 1]) % 2147483647;
            if (word < 0) word += 2147483647;
            r[i] = int32_t(word);
        }
        for (int i = 31; i < 34; ++i) r[i] = r[i - 31];
        for (int i = 0; i < 34; ++i) state_[i] = uint32_t(r[i]);
        pos_ = 34;
        for (int i = 0; i < 310; ++i) step();   // glibc discards the first 310 outputs
    }
    int next() { return int(step() >> 1); }

private:
    uint32_t step() {
        uint32_t v = state_[(pos_ - 31) % 34] + state_[(pos_ - 3) % 34];
        state_[pos_ % 34] = v;
        ++pos_;
        return v;
    }
    uint32_t state_[34];
    size_t pos_;
};

const char* const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const std::string_view BAD_NAME_CHARS = "\\/|<>:\";,%?*";

std::string base_name(std::string_view path) {
    size_t slash = path.find_last_of("/\\");
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string_view trim_right_ws(std::string_view s) {
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
    return s;
}
} // namespace

std::string mime_boundary(uint32_t seed) {
    GlibcRand rng(seed);
    std::string b;
    for (int i = 0; i < 36; ++i) {
        int n = rng.next() % 62;
        b += char(n < 10 ? n + '0' : n < 36 ? n - 10 + 'A' : n - 36 + 'a');
    }
    return b;
}

std::vector<std::string> attachment_names(std::string_view subject) {
    std::vector<std::string> names;
    size_t p = subject.find_first_not_of(" \t\r\n");
    while (p != std::string_view::npos && p < subject.size()) {
        char delim = ' ';
        if (subject[p] == '"') { delim = '"'; ++p; }
        size_t end = subject.find(delim, p);
        if (end == std::string_view::npos && delim != ' ') break;   // unterminated quote
        std::string_view token = subject.substr(p, end == std::string_view::npos ? std::string_view::npos : end - p);
        std::string name = base_name(trim_right_ws(token));
        if (name.find_first_of(BAD_NAME_CHARS) == std::string::npos) names.push_back(name);
        if (end == std::string_view::npos) break;
        p = subject.find_first_not_of(" \t\r\n", end + 1);
    }
    return names;
}

std::vector<std::string> base64_lines(std::string_view data) {
    std::vector<std::string> lines;
    size_t pos = 0;
    // The original reads 57-byte chunks until a short read, so a file whose
    // size is a multiple of 57 (or empty) ends with one empty line.
    for (;;) {
        size_t n = std::min<size_t>(57, data.size() - pos);
        std::string line;
        for (size_t i = 0; i < n; i += 3) {
            uint32_t v = uint32_t(uint8_t(data[pos + i])) << 16;
            if (i + 1 < n) v |= uint32_t(uint8_t(data[pos + i + 1])) << 8;
            if (i + 2 < n) v |= uint8_t(data[pos + i + 2]);
            line += BASE64[(v >> 18) & 63];
            line += BASE64[(v >> 12) & 63];
            line += i + 1 < n ? BASE64[(v >> 6) & 63] : '=';
            line += i + 2 < n ? BASE64[v & 63] : '=';
        }
        lines.push_back(line);
        pos += n;
        if (n != 57) break;
        if (pos == data.size()) { lines.emplace_back(); break; }
    }
    return lines;
}

} // namespace sbbs::render
