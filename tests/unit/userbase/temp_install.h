// A private copy of the sample install's user base for one test, removed
// when the test ends (fixtures are never written in place).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sbbs::test {

inline const char* kFixtureBbs = "/work/shared/fixtures/bbs";

class TempInstall {
public:
    TempInstall() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "userbase-XXXXXX").string();
        root_ = ::mkdtemp(tmpl.data());
        namespace fs = std::filesystem;
        fs::create_directories(root_ / "data/user");
        fs::create_directories(root_ / "data/msgs");
        fs::create_directories(root_ / "ctrl");
        for (auto& e : fs::directory_iterator(fs::path(kFixtureBbs) / "data/user")) {
            fs::copy_file(e.path(), root_ / "data/user" / e.path().filename());
            fs::permissions(root_ / "data/user" / e.path().filename(),
                            fs::perms::owner_read | fs::perms::owner_write);
        }
    }
    ~TempInstall() { std::error_code ec; std::filesystem::remove_all(root_, ec); }
    TempInstall(const TempInstall&) = delete;
    TempInstall& operator=(const TempInstall&) = delete;

    std::string data() const { return (root_ / "data").string() + "/"; }
    std::string ctrl() const { return (root_ / "ctrl").string() + "/"; }
    std::string path(const std::string& rel) const { return (root_ / rel).string(); }

    std::string read(const std::string& rel) const {
        std::ifstream in(path(rel), std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    void write(const std::string& rel, const std::string& bytes) const {
        std::ofstream out(path(rel), std::ios::binary | std::ios::trunc);
        out << bytes;
    }

private:
    std::filesystem::path root_;
};

} // namespace sbbs::test
