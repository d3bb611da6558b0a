// Test helper: a private copy of the sample BBS install (or an empty
// directory) under the system temp dir, removed when the object dies.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace sbbs::test {

class TempInstall {
public:
    // with_sample: copy the sample install; otherwise start empty.
    explicit TempInstall(bool with_sample = true) {
        std::random_device rd;
        root_ = std::filesystem::temp_directory_path() /
                ("sbbsmail-config-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(root_);
        if (!with_sample) return;
        for (const char* dir : {"ctrl", "data", "node1", "text"})
            if (std::filesystem::exists(sample_source() / dir))
                std::filesystem::copy(sample_source() / dir, root_ / dir,
                                      std::filesystem::copy_options::recursive);
    }
    ~TempInstall() {
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }
    TempInstall(const TempInstall&) = delete;
    TempInstall& operator=(const TempInstall&) = delete;

    std::string root() const { return root_.string() + "/"; }
    std::string ctrl() const { return root() + "ctrl/"; }
    std::string path(const std::string& rel) const { return root() + rel; }

    void write(const std::string& rel, const std::string& text) const {
        std::filesystem::create_directories((root_ / rel).parent_path());
        std::ofstream(root_ / rel, std::ios::binary | std::ios::trunc) << text;
    }
    std::string read(const std::string& rel) const {
        std::ifstream in(root_ / rel, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    void remove(const std::string& rel) const { std::filesystem::remove(root_ / rel); }

    // The shared fixture, overridable with SBBS_FIXTURE_BBS; the repo's own
    // copy (the working directory) when neither exists.
    static std::filesystem::path sample_source() {
        if (const char* env = std::getenv("SBBS_FIXTURE_BBS")) return env;
        std::filesystem::path shared = "/work/shared/fixtures/bbs";
        if (std::filesystem::exists(shared / "ctrl")) return shared;
        return std::filesystem::current_path();
    }

private:
    std::filesystem::path root_;
};

} // namespace sbbs::test
