// Mail processor work files (see work_files.h).
#include "mailproc/work_files.h"

#include "util/strings.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace sbbs::mailproc {

WorkFiles WorkFiles::in(const std::string& temp_dir, const std::string& protocol, const std::string& session_id) {
    std::string base = temp_dir + "SBBS_" + protocol + "." + session_id;
    return {base + ".msg", base + ".new", base + ".log", base + ".lst", base + ".err"};
}

void WorkFiles::remove_all() const {
    std::error_code ec;
    for (const std::string* p : {&message, &new_message, &debug_log, &recipient_list, &error})
        std::filesystem::remove(*p, ec);
}

bool file_exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

// At most `limit` bytes, and no more memory than the file holds: a buffer
// of the whole limit per message would undo holding a message once (SEC-11).
std::optional<std::string> read_text(const std::string& path, size_t limit) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    std::string text(ec ? 0 : size_t(std::min<std::uintmax_t>(size, limit)), '\0');
    in.read(text.data(), std::streamsize(text.size()));
    text.resize(size_t(in.gcount()));
    return text;
}

bool write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), std::streamsize(text.size()));
    return bool(out.flush());
}

bool write_message(const std::string& path, const std::string& header, const TextPieces& body) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(header.data(), std::streamsize(header.size()));
    out.write("\r\n", 2);
    for (std::string_view piece : body.pieces()) out.write(piece.data(), std::streamsize(piece.size()));
    return bool(out.flush());
}

std::vector<std::string> text_lines(const std::string& text) {
    std::vector<std::string> lines = split(text, '\n');
    if (!lines.empty() && lines.back().empty()) lines.pop_back();   // the final line end
    for (std::string& l : lines) {
        l = std::string(trim_right(l));
        for (char& c : l)
            if ((unsigned char)c < 0x20 || c == 0x7f) c = '?';
    }
    return lines;
}

std::vector<std::string> error_reply_lines(const std::string& error_text) {
    std::vector<std::string> lines = text_lines(error_text), replies;
    for (size_t i = 0; i < lines.size(); ++i) {
        long code = std::strtol(lines[i].c_str(), nullptr, 10);
        if (code >= 100 && code <= 999) replies.push_back(lines[i]);
        else replies.push_back(std::string("554") + (i + 1 < lines.size() ? "-" : " ") + lines[i]);
    }
    return replies;
}

} // namespace sbbs::mailproc
