// ctrl/alias.cfg reading and lookup (see alias_table.h).
#include "config/alias_table.h"

#include "config/list_file.h"
#include "util/strings.h"

namespace sbbs {

namespace {
constexpr size_t kMaxLine = 127;  // the original's 128-byte line buffer

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
} // namespace

AliasTable AliasTable::parse(std::string_view text, const std::string& file, Diagnostics* diags) {
    AliasTable t;
    for (const ListLine& l : split_list_lines(text, SIZE_MAX, file, nullptr)) {
        std::string_view p = trim_left_blanks(l.text);
        if (p.empty() || p.front() == ';') continue;  // CFG-152
        if (l.text.size() > kMaxLine) {
            if (diags)
                diags->push_back({LogLevel::Warning, file, l.line,
                                  "line longer than 127 bytes ignored (the original would split it)"});
            continue;
        }
        size_t end = 0;
        while (end < p.size() && !is_blank(p[end])) ++end;
        std::string_view value = trim(p.substr(end));
        if (value.empty()) continue;
        t.entries_.push_back({std::string(p.substr(0, end)), std::string(value), l.line});
    }
    return t;
}

AliasTable AliasTable::load(const std::string& path, Diagnostics* diags) {
    auto text = read_list_file(path, diags);
    return text ? parse(*text, path, diags) : AliasTable{};
}

std::optional<std::string> AliasTable::lookup(std::string_view name) const {
    for (const AliasEntry& e : entries_) {
        std::string_view alias = e.alias;
        if (alias.front() == '*') {  // CFG-155: suffix match
            alias.remove_prefix(1);
            if (!iends_with(name, alias)) continue;
            if (e.value.front() == '*')
                return std::string(name.substr(0, name.size() - alias.size())) + e.value.substr(1);
            return e.value;
        }
        if (iequals(alias, name)) return e.value;
    }
    return std::nullopt;
}

} // namespace sbbs
