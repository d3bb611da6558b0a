// Test helpers: locating the shared SMB fixtures, scratch directories, and
// a parser for the original tools' dump files (*.dump.txt).
#pragma once

#include "msgbase/checker.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace sbbs::test {
// Each module's test helpers get their own inline namespace, so two helpers of
// one name (TempDir) can never silently collide across test binaries (ODR).
inline namespace msgbase_support {

namespace fs = std::filesystem;

// Every problem the checker finds in the base at `prefix`, one per line ("" = clean).
inline std::string problems(const std::string& prefix) {
    std::string out;
    for (auto& p : smb::check_base(prefix)) out += smb::describe(p) + "\n";
    return out;
}

// $SBBSMAIL_FIXTURES, else the first shared/fixtures above the working directory.
inline fs::path fixtures_dir() {
    if (const char* e = getenv("SBBSMAIL_FIXTURES")) return e;
    for (fs::path p = fs::current_path(); !p.empty(); p = p.parent_path()) {
        if (fs::exists(p / "shared/fixtures/msgbase")) return p / "shared/fixtures";
        if (p == p.parent_path()) break;
    }
    return "/work/shared/fixtures";
}

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A scratch directory removed at scope exit.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "smbtest.XXXXXX").string();
        path = mkdtemp(tmpl.data());
    }
    ~TempDir() { std::error_code ec; fs::remove_all(path, ec); }
    std::string prefix(const std::string& name) const { return (path / name).string(); }
};

// Copies fixture base `sub`/`name` into `dir`, writable; returns the prefix.
inline std::string copy_fixture(const TempDir& dir, const std::string& sub, const std::string& name) {
    for (auto& e : fs::directory_iterator(fixtures_dir() / "msgbase" / sub)) {
        if (!e.is_regular_file()) continue;
        auto fn = e.path().filename().string();
        if (fn.rfind(name + ".", 0) != 0 || fn.find(".txt") != std::string::npos) continue;
        fs::copy_file(e.path(), dir.path / fn, fs::copy_options::overwrite_existing);
        fs::permissions(dir.path / fn, fs::perms::owner_read | fs::perms::owner_write);
    }
    return dir.prefix(name);
}

struct DumpField { unsigned type = 0; std::string data; };
struct DumpHeader {
    std::map<std::string, std::string> values;   // "attr" -> "0002h (READ)"
    std::vector<std::string> dfields;             // "TEXT_BODY, offset 0, length 78"
    std::vector<DumpField> fields;
};
struct DumpIndex { uint32_t number; unsigned from, to, subj, attr, offset; };
struct Dump {
    std::map<std::string, std::string> status;
    std::vector<DumpIndex> index;
    std::map<uint32_t, DumpHeader> headers;        // by "index record" number
};

inline Dump parse_dump(const fs::path& p) {
    Dump d;
    std::istringstream in(slurp(p));
    std::string line, section;
    DumpHeader* cur = nullptr;
    while (std::getline(in, line)) {
        if (line.rfind("================", 0) == 0) { section = line; cur = nullptr; continue; }
        if (section.find("smbutil s ") != std::string::npos) {
            auto eq = line.find(" = ");
            if (eq != std::string::npos) {
                std::string k = line.substr(0, line.find(' '));
                d.status[k] = line.substr(eq + 3);
            }
        } else if (section.find("smbutil x ") != std::string::npos) {
            std::istringstream ls(line);
            DumpIndex r{};
            std::string from, to, subj, attr, off;
            if (ls >> r.number >> from >> to >> subj >> attr >> off) {
                r.from = std::stoul(from, nullptr, 16); r.to = std::stoul(to, nullptr, 16);
                r.subj = std::stoul(subj, nullptr, 16); r.attr = std::stoul(attr, nullptr, 16);
                r.offset = std::stoul(off, nullptr, 16);
                d.index.push_back(r);
            }
        } else if (section.find("smbutil V ") != std::string::npos) {
            if (line.rfind("index record", 0) == 0) {
                cur = &d.headers[std::stoul(line.substr(12))];
            } else if (cur && line.rfind("hdr field[", 0) == 0) {
                DumpField f;
                auto t = line.find("type ");
                f.type = std::stoul(line.substr(t + 5, 2), nullptr, 16);
                auto data = line.find("data:");
                if (data != std::string::npos) {
                    std::istringstream hs(line.substr(data + 5));
                    std::string byte;
                    while (hs >> byte) f.data.push_back(char(std::stoul(byte, nullptr, 16)));
                }
                cur->fields.push_back(f);
            } else if (cur && line.rfind("data_field[", 0) == 0) {
                cur->dfields.push_back(line.substr(line.find(']') + 1));
            } else if (cur && !line.empty() && line[0] != ' ') {
                auto sp = line.find(' ');
                if (sp == std::string::npos) continue;
                std::string k = line.substr(0, sp);
                auto v = line.find_first_not_of(' ', sp);
                if (v != std::string::npos && !cur->values.count(k)) cur->values[k] = line.substr(v);
            }
        }
    }
    return d;
}

inline unsigned hexval(const std::string& s) { return unsigned(std::stoul(s, nullptr, 16)); }

} // inline namespace msgbase_support
} // namespace sbbs::test
