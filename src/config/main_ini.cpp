// ctrl/main.ini and node.ini reading (see main_ini.h).
#include "config/main_ini.h"

#include "config/ini_get.h"
#include "config/install_paths.h"
#include "util/strings.h"

namespace sbbs {

namespace {

// CFG-104: every key of [node_dir] is a node, in file order.
std::vector<std::string> read_node_dirs(const IniFile& ini, const std::string& ctrl) {
    std::vector<std::string> dirs;
    auto sections = ini.sections_with_prefix("node_dir");
    for (const IniSection* s : sections) {
        if (!iequals(s->name, "node_dir")) continue;
        for (const IniEntry& e : s->entries) {
            // The first value of a repeated key is the one the original reads.
            std::string path = s->find(e.key)->literal;
#if !defined(_WIN32)
            path = to_lower(path);  // the original lower-cases node paths on Unix
#endif
            dirs.push_back(resolve_dir(ctrl, path));
        }
        break;
    }
    return dirs;
}

const IniSection* named(const IniFile& ini, std::string_view name) {
    for (const IniSection* s : ini.sections_with_prefix(name))
        if (iequals(s->name, name)) return s;
    return nullptr;
}

void read_levels(const IniFile& ini, SystemSettings& sys, Diagnostics& diags) {
    for (const IniSection* s : ini.sections_with_prefix("level:")) {
        std::string_view num = std::string_view(s->name).substr(6);
        if (!all_digits(num) || num.size() > 2) continue;  // only level:0..level:99 are read
        int n = std::stoi(std::string(num));
        if (sys.levels.count(n)) continue;                 // a repeated section is never reached
        IniGetter g(s, diags);
        LevelLimits lim;
        lim.email_per_day = uint32_t(g.get_int("emailperday", n));
        lim.posts_per_day = uint32_t(g.get_int("postsperday", n));
        sys.levels[n] = lim;
    }
}

} // namespace

LevelLimits SystemSettings::level(int n) const {
    auto it = levels.find(n);
    if (it != levels.end()) return it->second;
    LevelLimits lim;  // CFG-106: a level without a section defaults to its own number
    lim.email_per_day = uint32_t(n < 0 ? 0 : n);
    lim.posts_per_day = uint32_t(n < 0 ? 0 : n);
    return lim;
}

void read_main_ini(const IniFile& ini, SystemSettings& sys, InstallPaths& paths, Diagnostics& diags) {
    IniGetter root(&ini.root(), diags);
    sys.name = root.get_string("name", "");
    sys.qwk_id = root.get_string("qwk_id", "");
    sys.operator_name = root.get_string("operator", "");
    sys.settings = root.get_uint("settings", 0);
    sys.login = root.get_uint("login", 0);
    sys.cache_filter_files_s = root.get_uint("cache_filter_files", 5);
    (void)root.get_int("deldays", 0);
    sys.node_dirs = read_node_dirs(ini, paths.ctrl);

    IniGetter dir(named(ini, "dir"), diags);
    std::string data = dir.get_string("data", "../data/");
    paths.data = resolve_dir(paths.ctrl, data);
    paths.exec = resolve_dir(paths.ctrl, dir.get_string("exec", "../exec/"));
    paths.mods = resolve_dir(paths.ctrl, dir.get_string("mods", "../mods/"));
    paths.logs = resolve_dir(paths.ctrl, dir.get_string("logs", data));
    read_levels(ini, sys, diags);
}

std::string read_text_dir(const SystemSettings& sys, const std::string& ctrl, Diagnostics& diags) {
    const std::string fallback = resolve_dir(ctrl, "../text/");
    if (sys.node_dirs.empty()) {
        diags.push_back({LogLevel::Warning, ctrl + "main.ini", 0,
                         "no [node_dir] entry: text directory taken as " + fallback});
        return fallback;
    }
    std::string node_ini = sys.node_dirs.front() + "node.ini";
    auto ini = IniFile::load(node_ini, {}, diags);
    if (!ini) {
        diags.push_back({LogLevel::Warning, node_ini, 0, "cannot be read: text directory taken as " + fallback});
        return fallback;
    }
    IniGetter root(&ini->root(), diags);
    return resolve_dir(ctrl, root.get_string("text_dir", "../text/"));
}

} // namespace sbbs
