// INTERIM (until src/config's loader lands): a minimal reader of the INI
// dialect, enough for the keys the server runtime needs. Keeps line numbers
// so every problem can be reported as file:line.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sbbs::interim {

struct IniValue {
    std::string text;
    int line = 0;
};

class IniFile {
public:
    // Empty (and ok() false) when the file cannot be read.
    static IniFile read(const std::string& path);
    bool ok() const { return ok_; }
    const std::string& path() const { return path_; }
    // First occurrence of `key` in the first section named `section`
    // (names and keys ignore case; "" is the root section). Blank = absent.
    std::optional<IniValue> get(const std::string& section, const std::string& key) const;
    std::vector<std::pair<std::string, IniValue>> keys(const std::string& section) const;

private:
    struct Section {
        std::vector<std::string> names;
        std::vector<std::pair<std::string, IniValue>> keys;
    };
    const Section* find(const std::string& name) const;
    std::string path_;
    bool ok_ = false;
    std::vector<Section> sections_;
};

} // namespace sbbs::interim
