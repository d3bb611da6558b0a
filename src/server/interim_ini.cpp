// INTERIM INI reader (see interim_ini.h).
#include "server/interim_ini.h"

#include "util/strings.h"

#include <fstream>

namespace sbbs::interim {

namespace {

void add_key(std::vector<std::pair<std::string, IniValue>>& keys, std::string_view line, int number) {
    size_t sep = line.find_first_of("=:");
    if (sep == std::string_view::npos) return;
    keys.emplace_back(to_lower(trim(line.substr(0, sep))), IniValue{std::string(trim(line.substr(sep + 1))), number});
}

} // namespace

IniFile IniFile::read(const std::string& path) {
    IniFile ini;
    ini.path_ = path;
    std::ifstream in(path);
    if (!in) return ini;
    ini.ok_ = true;
    ini.sections_.push_back(Section{{""}, {}});
    std::string raw;
    for (int number = 1; std::getline(in, raw); ++number) {
        std::string_view line = trim(raw);
        if (line.empty() || line.front() == ';') continue;
        size_t close = line.rfind(']');
        if (line.front() == '[' && close != std::string_view::npos) {
            Section s;
            for (const auto& n : split(line.substr(1, close - 1), '|')) s.names.push_back(to_lower(trim(n)));
            ini.sections_.push_back(std::move(s));
            continue;
        }
        add_key(ini.sections_.back().keys, line, number);
    }
    return ini;
}

const IniFile::Section* IniFile::find(const std::string& name) const {
    std::string lower = to_lower(name);
    for (const auto& s : sections_)
        for (const auto& n : s.names)
            if (n == lower) return &s;
    return nullptr;
}

std::optional<IniValue> IniFile::get(const std::string& section, const std::string& key) const {
    const Section* s = find(section);
    if (!s) return std::nullopt;
    std::string lower = to_lower(key);
    for (const auto& [k, v] : s->keys)
        if (k == lower) return v.text.empty() ? std::nullopt : std::optional<IniValue>(v);
    return std::nullopt;
}

std::vector<std::pair<std::string, IniValue>> IniFile::keys(const std::string& section) const {
    const Section* s = find(section);
    return s ? s->keys : std::vector<std::pair<std::string, IniValue>>{};
}

} // namespace sbbs::interim
