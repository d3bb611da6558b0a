// Reading line-oriented list files (pattern lists, alias.cfg,
// dns_blacklist.cfg): whole-file read with the missing/unreadable rule of
// CFG-132 and the original's fixed-size line buffer splitting (CFG-123).
#pragma once

#include "config/diagnostic.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

struct ListLine {
    int line = 0;       // 1-based physical line
    std::string text;   // without the line ending
};

// Splits text into lines (LF or CR LF). A line longer than `max_len` bytes
// becomes several chunks of at most `max_len` bytes (as the original's
// fgets buffer does), with a Diagnostic naming the line.
std::vector<ListLine> split_list_lines(std::string_view text, size_t max_len,
                                       const std::string& file, Diagnostics* diags);

// A whole file; ErrorCode::NotFound when missing, Io when unreadable.
Result<std::string> read_text_file(const std::string& path);

// The file's text; nullopt when missing (silent) or unreadable (Warning).
std::optional<std::string> read_list_file(const std::string& path, Diagnostics* diags);

// Skips leading white space (space, TAB, CR, LF, VT, FF).
std::string_view trim_left_blanks(std::string_view s);

} // namespace sbbs
