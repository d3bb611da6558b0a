// Shell-pattern file matching (see file_glob.h).
#include "config/file_glob.h"

#include <algorithm>
#include <filesystem>

namespace sbbs {

namespace fs = std::filesystem;

namespace {

bool has_wildcard(std::string_view s) { return s.find_first_of("*?[") != s.npos; }

// Matches a "[...]" class at p[i] against c; advances i past the class.
// Returns nullopt-like -1 when the class is unterminated (then '[' is literal).
int match_class(std::string_view p, size_t& i, char c) {
    size_t j = i + 1;
    bool negate = j < p.size() && (p[j] == '!' || p[j] == '^');
    if (negate) ++j;
    bool hit = false;
    bool first = true;
    while (j < p.size() && (p[j] != ']' || first)) {
        first = false;
        char lo = p[j];
        if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
            if (c >= lo && c <= p[j + 2]) hit = true;
            j += 3;
        } else {
            if (c == lo) hit = true;
            ++j;
        }
    }
    if (j >= p.size()) return -1;
    i = j + 1;
    return hit != negate ? 1 : 0;
}

bool match_from(std::string_view p, size_t pi, std::string_view n, size_t ni) {
    while (pi < p.size()) {
        char pc = p[pi];
        if (pc == '*') {
            while (pi < p.size() && p[pi] == '*') ++pi;
            if (pi == p.size()) return true;
            for (size_t k = ni; k <= n.size(); ++k)
                if (match_from(p, pi, n, k)) return true;
            return false;
        }
        if (ni >= n.size()) return false;
        if (pc == '?') {
            ++pi;
        } else if (pc == '[') {
            size_t save = pi;
            int r = match_class(p, pi, n[ni]);
            if (r == 0) return false;
            if (r < 0) {
                if (n[ni] != '[') return false;
                pi = save + 1;
            }
        } else {
            if (pc == '\\' && pi + 1 < p.size()) pc = p[++pi];
            if (pc != n[ni]) return false;
            ++pi;
        }
        ++ni;
    }
    return ni == n.size();
}

std::vector<std::string> split_components(const std::string& s) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= s.size()) {
        size_t slash = s.find('/', start);
        if (slash == std::string::npos) slash = s.size();
        if (slash > start) parts.push_back(s.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

} // namespace

bool glob_name_matches(std::string_view pattern, std::string_view name) {
    if (!name.empty() && name.front() == '.' && (pattern.empty() || pattern.front() != '.')) return false;
    return match_from(pattern, 0, name, 0);
}

std::vector<std::string> glob_files(const std::string& pattern, const std::string& base_dir) {
    bool absolute = !pattern.empty() && pattern.front() == '/';
    std::string prefix = absolute ? "/" : "";
    std::vector<std::string> current{prefix};  // paths built so far, as written
    std::error_code ec;
    for (const std::string& comp : split_components(pattern)) {
        std::vector<std::string> next;
        for (const std::string& dir : current) {
            fs::path real = absolute ? fs::path(dir.empty() ? "/" : dir)
                                     : fs::path(base_dir) / (dir.empty() ? "." : dir);
            if (!has_wildcard(comp)) {
                if (fs::exists(real / comp, ec)) next.push_back(dir + comp + "/");
                continue;
            }
            for (const auto& ent : fs::directory_iterator(real, ec)) {
                std::string name = ent.path().filename().string();
                if (glob_name_matches(comp, name)) next.push_back(dir + name + "/");
            }
        }
        current = std::move(next);
    }
    std::vector<std::string> files;
    for (std::string p : current) {
        if (p.empty() || p == "/") continue;
        p.pop_back();  // the trailing '/' added while walking
        fs::path real = absolute ? fs::path(p) : fs::path(base_dir) / p;
        if (fs::is_regular_file(real, ec)) files.push_back(real.string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace sbbs
