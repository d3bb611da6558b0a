// DATA text framing (see data_text.h).
#include "sendmail/data_text.h"

namespace sbbs {

namespace {
constexpr size_t kBlock = 64 * 1024;

// Calls each(line) for every line of `text`, line ends dropped; stops when it returns false.
template <typename F> bool each_line(std::string_view text, F&& each) {
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find_first_of("\r\n", pos);
        if (end == std::string_view::npos) end = text.size();
        if (!each(text.substr(pos, end - pos))) return false;
        bool crlf = end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n';
        pos = end + (crlf ? 2 : 1);
    }
    return true;
}
} // namespace

namespace {
bool only_crlf_lines(std::string_view text) {
    if (!text.empty() && !text.ends_with("\r\n")) return false;
    for (size_t i = text.find_first_of("\r\n"); i != std::string_view::npos; i = text.find_first_of("\r\n", i + 2))
        if (text[i] != '\r' || i + 1 == text.size() || text[i + 1] != '\n') return false;
    return true;
}
} // namespace

std::string crlf_lines(std::string text) {
    if (only_crlf_lines(text)) return text;
    std::string out;
    out.reserve(text.size() + 2);
    each_line(text, [&](std::string_view line) {
        out.append(line).append("\r\n");
        return true;
    });
    return out;
}

namespace {
// The lines of `text`, CR LF ended and dot-stuffed when `stuff`, to `write`
// in blocks of about 64 KiB.
bool write_lines(std::string_view text, bool stuff, const std::function<bool(std::string_view)>& write,
                 size_t& lines, const std::function<void(std::string_view)>& on_line) {
    std::string block;
    block.reserve(kBlock);
    auto flush = [&] {
        bool ok = block.empty() || write(block);
        block.clear();
        return ok;
    };
    // A piece longer than a block goes out as it is, not copied.
    auto add = [&](std::string_view piece) {
        if (block.size() + piece.size() <= kBlock) {
            block.append(piece);
            return true;
        }
        if (!flush()) return false;
        if (piece.size() >= kBlock) return write(piece);
        block.append(piece);
        return true;
    };
    lines = 0;
    bool ok = each_line(text, [&](std::string_view line) {
        if (on_line) on_line(line);
        if (stuff && !line.empty() && line[0] == '.' && !add(".")) return false;
        if (!add(line) || !add("\r\n")) return false;
        ++lines;
        return true;
    });
    return ok && flush();
}
} // namespace

bool write_data_text(std::string_view text, const std::function<bool(std::string_view)>& write, size_t& lines,
                     const std::function<void(std::string_view)>& on_line) {
    return write_lines(text, true, write, lines, on_line);
}

size_t crlf_size(std::string_view text) {
    size_t n = 0;
    each_line(text, [&](std::string_view line) {
        n += line.size() + 2;
        return true;
    });
    return n;
}

bool write_chunk_text(std::string_view text, const std::function<bool(std::string_view)>& write, size_t& lines,
                      const std::function<void(std::string_view)>& on_line) {
    return write_lines(text, false, write, lines, on_line);
}

} // namespace sbbs
