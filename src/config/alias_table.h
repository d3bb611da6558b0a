// ctrl/alias.cfg (config.md section 12): "<alias> <value>" lines, looked up
// ignoring case with the '*' suffix rules of CFG-155.
#pragma once

#include "config/diagnostic.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

struct AliasEntry {
    std::string alias;  // as written, '*' included
    std::string value;  // trimmed, may contain spaces
    int line = 0;
};

class AliasTable {
public:
    // Lines over 127 bytes are ignored with a Diagnostic (CFG-153).
    static AliasTable parse(std::string_view text, const std::string& file, Diagnostics* diags);
    // A missing file is an empty table, silently (CFG-159).
    static AliasTable load(const std::string& path, Diagnostics* diags);

    // CFG-154/155: the value of the first matching line, with a "*value"
    // completed by the unmatched start of `name`; nullopt = no alias.
    std::optional<std::string> lookup(std::string_view name) const;
    const std::vector<AliasEntry>& entries() const { return entries_; }

private:
    std::vector<AliasEntry> entries_;
};

} // namespace sbbs
