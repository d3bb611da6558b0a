// The shared platform layer on Linux: file I/O, OFD byte-range locks between
// two descriptions of one process, and the clock helpers.
#include "util/platform_clock.h"
#include "util/platform_file.h"

#include <catch.hpp>

#include <filesystem>
#include <random>
#include <string>

using namespace sbbs;

namespace {

// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
    std::filesystem::path dir;
    TempDir() {
        std::random_device rd;
        dir = std::filesystem::temp_directory_path() / ("sbbs-platform-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(dir);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string file(const char* name) const { return (dir / name).string(); }
};

PlatformFile must_open(const std::string& path, FileOpen mode) {
    auto f = PlatformFile::open(path, mode);
    REQUIRE(f.ok());
    return std::move(*f);
}

LockTry lock(PlatformFile& f, uint64_t off, uint64_t len, FileLock kind) {
    auto r = f.try_lock(off, len, kind);
    REQUIRE(r.ok());
    return *r;
}

std::string read(const PlatformFile& f, uint64_t off, size_t n) {
    std::string buf(n, '\0');
    auto got = f.read_at(off, buf.data(), n);
    REQUIRE(got.ok());
    buf.resize(*got);
    return buf;
}

} // namespace

TEST_CASE("platform file: open modes, read/write at offsets, size, truncate", "[util][platform]") {
    TempDir tmp;
    const std::string path = tmp.file("data.bin");

    auto missing = PlatformFile::open(path, FileOpen::ReadWrite);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ErrorCode::NotFound);
    CHECK_FALSE(file_exists(path));

    PlatformFile f = must_open(path, FileOpen::ReadWriteCreate);
    CHECK(f.is_open());
    CHECK(f.path() == path);
    CHECK(file_exists(path));
    CHECK(*f.size() == 0);

    REQUIRE(f.write_at(0, "hello world", 11).ok());
    REQUIRE(f.write_at(20, "tail", 4).ok());   // a hole reads as zeros
    CHECK(*f.size() == 24);
    CHECK(read(f, 6, 5) == "world");
    CHECK(read(f, 11, 9) == std::string(9, '\0'));
    CHECK(read(f, 20, 100) == "tail");          // short only at the end
    CHECK(read(f, 500, 10).empty());

    REQUIRE(f.truncate(5).ok());
    CHECK(*f.size() == 5);
    CHECK(read(f, 0, 100) == "hello");
    REQUIRE(f.sync().ok());

    PlatformFile ro = must_open(path, FileOpen::Read);
    CHECK(read(ro, 0, 5) == "hello");
    CHECK_FALSE(ro.write_at(0, "x", 1).ok());

    f.close();
    CHECK_FALSE(f.is_open());
}

TEST_CASE("platform file: append mode writes at the end and creates the file", "[util][platform]") {
    TempDir tmp;
    const std::string path = tmp.file("log.txt");
    {
        PlatformFile a = must_open(path, FileOpen::AppendCreate);
        REQUIRE(a.append("one\n").ok());
    }
    PlatformFile a = must_open(path, FileOpen::AppendCreate);
    PlatformFile b = must_open(path, FileOpen::ReadWrite);
    REQUIRE(b.write_at(0, "ONE", 3).ok());
    REQUIRE(a.append("two\n").ok());
    CHECK(read(b, 0, 100) == "ONE\ntwo\n");
}

TEST_CASE("platform file: exclusive range locks exclude a second description of the same process",
          "[util][platform]") {
    TempDir tmp;
    const std::string path = tmp.file("locks.bin");
    PlatformFile a = must_open(path, FileOpen::ReadWriteCreate);
    PlatformFile b = must_open(path, FileOpen::ReadWrite);

    CHECK(lock(a, 0, 10, FileLock::Exclusive) == LockTry::Acquired);
    CHECK(lock(b, 5, 1, FileLock::Exclusive) == LockTry::Busy);
    CHECK(lock(b, 9, 4, FileLock::Shared) == LockTry::Busy);
    CHECK(lock(b, 10, 10, FileLock::Exclusive) == LockTry::Acquired);   // adjacent range is free
    CHECK(lock(a, 10, 1, FileLock::Exclusive) == LockTry::Busy);

    a.unlock(0, 10);
    CHECK(lock(b, 0, 10, FileLock::Exclusive) == LockTry::Acquired);
    b.unlock(0, 10);
    b.unlock(10, 10);
    CHECK(lock(a, 0, 20, FileLock::Exclusive) == LockTry::Acquired);
}

TEST_CASE("platform file: shared locks coexist and keep out an exclusive one", "[util][platform]") {
    TempDir tmp;
    const std::string path = tmp.file("shared.bin");
    PlatformFile a = must_open(path, FileOpen::ReadWriteCreate);
    PlatformFile b = must_open(path, FileOpen::Read);
    PlatformFile c = must_open(path, FileOpen::ReadWrite);

    CHECK(lock(a, 0, 4, FileLock::Shared) == LockTry::Acquired);
    CHECK(lock(b, 0, 4, FileLock::Shared) == LockTry::Acquired);
    CHECK(lock(c, 2, 1, FileLock::Exclusive) == LockTry::Busy);
    a.unlock(0, 4);
    CHECK(lock(c, 2, 1, FileLock::Exclusive) == LockTry::Busy);   // b still holds it
    b.unlock(0, 4);
    CHECK(lock(c, 2, 1, FileLock::Exclusive) == LockTry::Acquired);
}

TEST_CASE("platform file: a whole-file lock covers offsets past the end; closing drops it",
          "[util][platform]") {
    TempDir tmp;
    const std::string path = tmp.file("whole.bin");
    PlatformFile a = must_open(path, FileOpen::ReadWriteCreate);
    PlatformFile b = must_open(path, FileOpen::ReadWrite);

    CHECK(lock(a, 0, 0, FileLock::Exclusive) == LockTry::Acquired);
    CHECK(lock(b, uint64_t(1) << 40, 1, FileLock::Exclusive) == LockTry::Busy);
    CHECK(lock(b, 0, 0, FileLock::Shared) == LockTry::Busy);

    PlatformFile moved = std::move(a);   // the lock moves with the description
    CHECK_FALSE(a.is_open());
    CHECK(lock(b, 0, 0, FileLock::Shared) == LockTry::Busy);
    moved.close();
    CHECK(lock(b, 0, 0, FileLock::Exclusive) == LockTry::Acquired);
}

TEST_CASE("platform files: exclusive create, rename over, remove", "[util][platform]") {
    TempDir tmp;
    const std::string from = tmp.file("new.tmp");
    const std::string to = tmp.file("final.dat");

    auto first = create_exclusive(from);
    REQUIRE(first.ok());
    CHECK(*first);
    auto again = create_exclusive(from);
    REQUIRE(again.ok());
    CHECK_FALSE(*again);

    {
        PlatformFile f = must_open(from, FileOpen::ReadWrite);
        REQUIRE(f.write_at(0, "new", 3).ok());
        PlatformFile old = must_open(to, FileOpen::ReadWriteCreate);
        REQUIRE(old.write_at(0, "old data", 8).ok());
    }
    REQUIRE(rename_file(from, to).ok());
    CHECK_FALSE(file_exists(from));
    CHECK(read(must_open(to, FileOpen::Read), 0, 100) == "new");
    CHECK_FALSE(rename_file(from, to).ok());

    REQUIRE(remove_file(to).ok());
    CHECK_FALSE(file_exists(to));
    CHECK(remove_file(to).ok());   // already gone is fine
}

TEST_CASE("platform clock: local time round trip, monotonic clock, host name", "[util][platform]") {
    time_t t = os::local_to_time(2026, 11, 25, 6, 23, 39);
    REQUIRE(t > 0);
    os::LocalTime lt = os::local_time(t);
    CHECK(lt.year == 2026);
    CHECK(lt.month == 11);
    CHECK(lt.day == 25);
    CHECK(lt.hour == 6);
    CHECK(lt.minute == 23);
    CHECK(lt.second == 39);
    CHECK(lt.utc_offset_min > -24 * 60);
    CHECK(lt.utc_offset_min < 24 * 60);

    uint64_t m0 = os::monotonic_ms();
    os::sleep_ms(20);
    CHECK(os::monotonic_ms() >= m0 + 19);
    CHECK(os::unix_time_now() > 1700000000u);
    CHECK_FALSE(os::host_name().empty());
}
