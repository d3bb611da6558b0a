// Shared by the fuzz targets that must read a real file: one private temp
// directory per process, removed at exit.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace sbbs::fuzz {

class TempDir {
public:
    explicit TempDir(const char* prefix) {
        std::string tmpl = std::string("/tmp/") + prefix + ".XXXXXX";
        if (const char* d = mkdtemp(tmpl.data())) path_ = d;
    }
    ~TempDir() {
        std::error_code ec;
        if (!path_.empty()) std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    bool ok() const { return !path_.empty(); }
    std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

private:
    std::string path_;
};

// Replaces `path` with `bytes`; false when it could not be written.
inline bool write_file(const std::string& path, std::string_view bytes) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return false;
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    return std::fclose(f) == 0 && ok;
}

} // namespace sbbs::fuzz
