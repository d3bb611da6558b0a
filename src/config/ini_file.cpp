// INI dialect reader (see ini_file.h).
#include "config/ini_file.h"

#include "config/c_escape.h"
#include "config/file_glob.h"
#include "config/list_file.h"
#include "util/strings.h"

namespace sbbs {

namespace {

constexpr size_t kMaxLineLen = 2047;   // CFG-9
constexpr size_t kMaxValueLen = 1023;  // CFG-21
constexpr size_t kMaxIncludes = 10000; // CFG-33

struct SourceLine {
    const std::string* file;
    int line;
    std::string text;
};

struct Expander {
    const IniOptions& opt;
    Diagnostics& diags;
    std::vector<std::string> files;  // owns the file names lines point at (stable: reserve)
    std::vector<SourceLine> lines;
    size_t includes = 0;
    bool eof = false;

    // CFG-35: "!eof" at the very start of a line, trailing blanks allowed.
    static bool is_eof(std::string_view s) { return !s.empty() && s[0] == '!' && iequals(trim_right(s), "!eof"); }

    void add(std::string_view text, const std::string& file) {
        files.push_back(file);
        const std::string* name = &files.back();
        for (ListLine& l : split_list_lines(text, kMaxLineLen, file, &diags)) {
            if (eof) return;
            if (is_eof(l.text)) {
                eof = true;
                return;
            }
            if (opt.includes && istarts_with(l.text, "!include ")) {
                include(trim(std::string_view(l.text).substr(9)), file, l.line);
                continue;
            }
            lines.push_back({name, l.line, std::move(l.text)});
        }
    }

    void include(std::string_view pattern, const std::string& file, int line) {
        std::vector<std::string> matches = glob_files(std::string(pattern), opt.include_base);
        if (matches.empty())
            diags.push_back({LogLevel::Warning, file, line, "!include " + std::string(pattern) + ": no file matches"});
        for (const std::string& m : matches) {
            if (eof) return;
            if (includes >= kMaxIncludes) {
                diags.push_back({LogLevel::Warning, file, line, "!include " + m + ": too many inclusions"});
                return;
            }
            auto text = read_text_file(m);
            if (!text) {
                diags.push_back({LogLevel::Warning, file, line, "!include " + m + ": cannot be read"});
                continue;
            }
            ++includes;
            add(*text, m);
        }
    }
};

std::string_view skip_blanks(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\v' || s[i] == '\f')) ++i;
    return s.substr(i);
}

IniSection make_section(std::string_view p, const SourceLine& l, Diagnostics& diags) {
    IniSection s;
    s.file = *l.file;
    s.line = l.line;
    size_t close = p.rfind(']');
    if (close == std::string_view::npos) {
        s.reachable = false;
        diags.push_back({LogLevel::Warning, s.file, s.line,
                         "'[' line without ']': the keys below it cannot be read"});
        return s;
    }
    s.name = std::string(trim(p.substr(1, close - 1)));
    for (const std::string& n : split(s.name, '|')) s.names.emplace_back(trim(n));
    return s;
}

// Removes the value at a 0xFF byte (CFG-20) and beyond 1023 bytes (CFG-21).
void clean(std::string& v) {
    size_t ff = v.find('\xFF');
    if (ff != std::string::npos) v.resize(ff);
    if (v.size() > kMaxValueLen) v.resize(kMaxValueLen);
}

void add_entry(IniSection& sec, std::string_view p, const SourceLine& l, Diagnostics& diags) {
    size_t sep = p.find_first_of("=:");
    if (sep == std::string_view::npos) {
        diags.push_back({LogLevel::Warning, *l.file, l.line, "line ignored: neither '=' nor ':' in it"});
        return;
    }
    IniEntry e;
    e.file = *l.file;
    e.line = l.line;
    e.key = std::string(trim(p.substr(0, sep)));
    e.colon = p[sep] == ':';
    e.raw = std::string(skip_blanks(p.substr(sep + 1)));
    if (e.raw.find('\xFF') == std::string::npos && trim(e.raw).size() > kMaxValueLen)
        diags.push_back({LogLevel::Warning, e.file, e.line,
                         e.key + ": value longer than 1023 bytes, truncated"});
    e.value = std::string(trim(e.raw));
    if (e.colon) {
        std::string_view lit = e.raw;
        if (!lit.empty() && lit.front() == '"') {
            lit.remove_prefix(1);
            size_t q = lit.rfind('"');
            if (q != std::string_view::npos) lit = lit.substr(0, q);
        }
        e.literal = c_unescape(lit);
    } else {
        e.literal = e.value;
    }
    clean(e.raw);
    clean(e.value);
    clean(e.literal);
    if (e.key.empty()) {
        diags.push_back({LogLevel::Warning, e.file, e.line, "line ignored: no key name before the separator"});
        return;
    }
    if (const IniEntry* first = sec.find(e.key))
        diags.push_back({LogLevel::Warning, e.file, e.line,
                         "duplicate key " + e.key + " ignored; the first is at " + first->file + ":" +
                             std::to_string(first->line)});
    sec.entries.push_back(std::move(e));
}

void check_duplicate_sections(const std::vector<IniSection>& secs, Diagnostics& diags) {
    for (size_t i = 1; i < secs.size(); ++i) {
        if (!secs[i].reachable) continue;
        for (size_t j = 1; j < i; ++j) {
            if (!secs[j].reachable || !iequals(secs[i].name, secs[j].name)) continue;
            diags.push_back({LogLevel::Warning, secs[i].file, secs[i].line,
                             "duplicate section [" + secs[i].name + "]; the first is at " + secs[j].file +
                                 ":" + std::to_string(secs[j].line)});
            break;
        }
    }
}

} // namespace

bool IniSection::answers(std::string_view query, bool case_sensitive) const {
    for (const std::string& part : split(query, '|')) {
        std::string_view n = trim(part);
        for (const std::string& name : names)
            if (case_sensitive ? name == n : iequals(name, n)) return true;
    }
    return false;
}

const IniEntry* IniSection::find(std::string_view key) const {
    for (const IniEntry& e : entries)
        if (iequals(e.key, key)) return &e;
    return nullptr;
}

IniFile IniFile::parse(std::string_view text, const std::string& file, const IniOptions& opt,
                       Diagnostics& diags) {
    Expander ex{opt, diags, {}, {}, 0, false};
    ex.files.reserve(kMaxIncludes + 1);
    ex.add(text, file);

    IniFile ini;
    IniSection root;
    root.file = file;
    ini.sections_.push_back(std::move(root));
    for (const SourceLine& l : ex.lines) {
        std::string_view p = skip_blanks(l.text);
        if (p.empty() || p.front() == ';') continue;  // CFG-10
        if (p.front() == '[') {
            ini.sections_.push_back(make_section(p, l, diags));
            continue;
        }
        add_entry(ini.sections_.back(), p, l, diags);
    }
    check_duplicate_sections(ini.sections_, diags);
    return ini;
}

Result<IniFile> IniFile::load(const std::string& path, const IniOptions& opt, Diagnostics& diags) {
    auto text = read_text_file(path);
    if (!text) return text.error();
    return parse(*text, path, opt, diags);
}

const IniSection* IniFile::section(std::string_view name) const {
    for (bool cs : {true, false})
        for (size_t i = 1; i < sections_.size(); ++i)
            if (sections_[i].reachable && sections_[i].answers(name, cs)) return &sections_[i];
    return nullptr;
}

std::vector<const IniSection*> IniFile::sections_with_prefix(std::string_view prefix) const {
    std::vector<const IniSection*> out;
    for (size_t i = 1; i < sections_.size(); ++i)
        if (sections_[i].reachable && istarts_with(sections_[i].name, prefix)) out.push_back(&sections_[i]);
    return out;
}

} // namespace sbbs
