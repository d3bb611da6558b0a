// util/stat_cached_file.h: a list file is parsed once while unchanged, and
// any edit (even one that keeps size and modification time) counts at the
// very next lookup, as CFG-133 promises for the lists it does not cache.
#include "util/stat_cached_file.h"

#include <catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

using namespace sbbs;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path dir;
    TempDir() {
        std::random_device rd;
        dir = fs::temp_directory_path() / ("sbbs-statcache-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(dir);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

} // namespace

TEST_CASE("ISSUE14 a file written just now is parsed at every lookup (racy stamps are not trusted)", "[util]") {
    TempDir t;
    fs::path f = t.dir / "email.can";
    write(f, "one\n");
    StatCachedFile<std::string> cache(f.string(), read_all);
    CHECK(*cache.get() == "one\n");
    CHECK(*cache.get() == "one\n");
    // ctime is now: the stamp is unsettled, so nothing is served from memory.
    CHECK(cache.parses() == 2);
}

TEST_CASE("ISSUE14 CFG-133 an edit with the same size and modification time counts at the next lookup", "[util]") {
    TempDir t;
    fs::path f = t.dir / "alias.cfg";
    write(f, "aaaa\n");
    auto old_mtime = fs::last_write_time(f) - std::chrono::hours(1);
    fs::last_write_time(f, old_mtime);
    StatCachedFile<std::string> cache(f.string(), read_all, 1);   // trusted at once
    CHECK(*cache.get() == "aaaa\n");
    CHECK(*cache.get() == "aaaa\n");
    CHECK(cache.parses() == 1);
    write(f, "bbbb\n");                  // same size
    fs::last_write_time(f, old_mtime);   // same mtime: only ctime and contents differ
    CHECK(*cache.get() == "bbbb\n");
    CHECK(cache.parses() == 2);
}

TEST_CASE("ISSUE14 a missing file, then created, then removed", "[util]") {
    TempDir t;
    fs::path f = t.dir / "spambait.cfg";
    StatCachedFile<std::string> cache(f.string(), read_all);
    CHECK(cache.get()->empty());
    CHECK(cache.get()->empty());
    CHECK(cache.parses() == 1);   // a missing file stays missing without re-reading
    write(f, "bait@example.com\n");
    CHECK(*cache.get() == "bait@example.com\n");
    fs::remove(f);
    CHECK(cache.get()->empty());
}

TEST_CASE("ISSUE14 a settled, unchanged file is parsed once however often it is looked up", "[util]") {
    TempDir t;
    fs::path f = t.dir / "twitlist.cfg";
    write(f, "twit@example.com\n");
    // Settled as soon as it is older than 1 ns (the default waits 2 s).
    StatCachedFile<std::string> cache(f.string(), read_all, 1);
    for (int i = 0; i < 100; ++i) REQUIRE(*cache.get() == "twit@example.com\n");
    CHECK(cache.parses() == 1);
    write(f, "other@example.com\n");
    CHECK(*cache.get() == "other@example.com\n");
    CHECK(cache.parses() == 2);
}
