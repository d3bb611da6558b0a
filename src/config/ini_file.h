// The original's INI dialect (config.md section 2): sections with '|'
// names, '=' and ':' values, !include and !eof, with the file and line of
// every key kept for diagnostics. Lookups follow the original's rules; every
// silent oddity becomes a Diagnostic while parsing.
#pragma once

#include "config/diagnostic.h"
#include "util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

struct IniEntry {
    std::string key;      // trimmed
    std::string value;    // CFG-18: trimmed (what every typed key reads)
    std::string raw;      // text after the separator and leading blanks, untrimmed (CFG-32)
    std::string literal;  // CFG-19: the string value (':' form: quotes and escapes decoded)
    bool colon = false;   // written "key : value"
    std::string file;
    int line = 0;
    bool blank() const { return raw.empty(); }  // CFG-22: blank = missing
};

struct IniSection {
    std::string name;                // text between '[' and the last ']' ("" = root)
    std::vector<std::string> names;  // CFG-13: the '|'-separated names, trimmed
    bool reachable = true;           // false for keys below a '[' line without ']'
    std::string file;
    int line = 0;
    std::vector<IniEntry> entries;   // in file order, duplicates included

    // Whether any '|' name of `query` is one of this section's names.
    bool answers(std::string_view query, bool case_sensitive) const;
    const IniEntry* find(std::string_view key) const;  // CFG-17: first, ignoring case
};

struct IniOptions {
    bool includes = false;        // CFG-33: only sbbs.ini honours !include
    std::string include_base;     // directory for relative include patterns
};

class IniFile {
public:
    // A missing or unreadable file is an Error (code NotFound when missing).
    static Result<IniFile> load(const std::string& path, const IniOptions& opt, Diagnostics& diags);
    static IniFile parse(std::string_view text, const std::string& file, const IniOptions& opt,
                         Diagnostics& diags);

    const IniSection& root() const { return sections_.front(); }
    // CFG-14: exact-case match of any '|' name first, then ignoring case;
    // the first such section in the file; nullptr when none.
    const IniSection* section(std::string_view name) const;
    // CFG-15: sections whose full name starts with `prefix` (ignoring case),
    // in file order, duplicates included.
    std::vector<const IniSection*> sections_with_prefix(std::string_view prefix) const;
    const std::vector<IniSection>& sections() const { return sections_; }

private:
    std::vector<IniSection> sections_;  // [0] = root
};

} // namespace sbbs
