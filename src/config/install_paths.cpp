// Install path rules (see install_paths.h).
#include "config/install_paths.h"

#include "util/strings.h"

#include <filesystem>

namespace sbbs {

namespace fs = std::filesystem;

namespace {
std::string slash_terminated(std::string s) {
    if (s.empty() || s.back() != '/') s += '/';
    return s;
}
} // namespace

std::string locate_ctrl_dir(const std::string& command_line_dir, const std::string& env_sbbsctrl) {
    if (!command_line_dir.empty()) return slash_terminated(command_line_dir);
    if (!env_sbbsctrl.empty()) return slash_terminated(env_sbbsctrl);
    return "/sbbs/ctrl/";
}

std::string resolve_file(const std::string& ctrl, const std::string& path) {
    fs::path p(path);
    if (!p.is_absolute()) p = fs::path(ctrl) / p;
    std::string s = p.lexically_normal().generic_string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

std::string resolve_dir(const std::string& ctrl, const std::string& path) {
    return slash_terminated(resolve_file(ctrl, path));
}

std::string find_file_ignoring_case(const std::string& dir, const std::string& name) {
    std::error_code ec;
    fs::path exact = fs::path(dir) / name;
    if (fs::exists(exact, ec)) return exact.string();
    for (const auto& ent : fs::directory_iterator(dir, ec))
        if (iequals(ent.path().filename().string(), name)) return ent.path().string();
    return "";
}

std::string find_host_ini(const std::string& dir, const std::string& name, const std::string& host_name) {
    std::vector<std::string> candidates;
    if (!host_name.empty()) {
        candidates.push_back(name + "." + host_name + ".ini");
        size_t dot = host_name.find('.');
        if (dot != std::string::npos) candidates.push_back(name + "." + host_name.substr(0, dot) + ".ini");
    }
    candidates.push_back(name + "." + platform_name() + ".ini");
    candidates.push_back(name + ".local.ini");
    candidates.push_back(name + ".ini");
    for (const std::string& c : candidates) {
        std::string found = find_file_ignoring_case(dir, c);
        if (!found.empty()) return found;
    }
    return "";
}

const char* platform_name() {
#if defined(_WIN64)
    return "win64";
#elif defined(_WIN32)
    return "win32";
#elif defined(__linux__)
    return "linux";
#elif defined(__FreeBSD__)
    return "freebsd";
#elif defined(__OpenBSD__)
    return "openbsd";
#elif defined(__NetBSD__)
    return "netbsd";
#elif defined(__APPLE__)
    return "macosx";
#else
    return "unix";
#endif
}

} // namespace sbbs
