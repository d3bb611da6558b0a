// Line-oriented list file reading (see list_file.h).
#include "config/list_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sbbs {

std::string_view trim_left_blanks(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' ||
                            s[i] == '\v' || s[i] == '\f'))
        ++i;
    return s.substr(i);
}

std::vector<ListLine> split_list_lines(std::string_view text, size_t max_len,
                                       const std::string& file, Diagnostics* diags) {
    std::vector<ListLine> out;
    int number = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == text.npos ? text.npos : nl - pos);
        pos = nl == text.npos ? text.size() : nl + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.size() <= max_len) {
            out.push_back({number, std::string(line)});
            continue;
        }
        if (diags)
            diags->push_back({LogLevel::Warning, file, number,
                              "line longer than " + std::to_string(max_len) +
                                  " bytes: read as several lines"});
        for (size_t off = 0; off < line.size(); off += max_len)
            out.push_back({number, std::string(line.substr(off, max_len))});
    }
    return out;
}

Result<std::string> read_text_file(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return make_error(path + ": no such file", ErrorCode::NotFound);
    if (std::filesystem::is_directory(path, ec)) return make_error(path + ": is a directory", ErrorCode::Io);
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(path + ": cannot be read", ErrorCode::Io);
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return make_error(path + ": read error", ErrorCode::Io);
    return text.str();
}

std::optional<std::string> read_list_file(const std::string& path, Diagnostics* diags) {
    auto text = read_text_file(path);
    if (text.ok()) return std::move(text.value());
    if (text.error().code != ErrorCode::NotFound && diags)
        diags->push_back({LogLevel::Warning, path, 0, "cannot read this list file"});
    return std::nullopt;
}

} // namespace sbbs
