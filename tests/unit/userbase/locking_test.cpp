// The BBS's locking protocol on user.tab and name.dat (USER-46..51).
#include "temp_install.h"

#include "userbase/record_lock.h"
#include "userbase/tab_user_directory.h"

#include <catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace sbbs;
using platform::File;
using platform::LockKind;
using platform::OpenMode;

namespace {

struct Fast {
    std::vector<unsigned> sleeps;
    RetryPolicy policy(unsigned attempts) {
        RetryPolicy p;
        p.max_attempts = attempts;
        p.sleep = [this](unsigned ms) { sleeps.push_back(ms); };
        return p;
    }
};

std::unique_ptr<TabUserDirectory> open_dir(const test::TempInstall& inst, RetryPolicy p) {
    TabUserDirectoryOptions o;
    o.data_dir = inst.data();
    o.retry = std::move(p);
    auto d = TabUserDirectory::open(std::move(o));
    REQUIRE(d.ok());
    return std::move(*d);
}

File open_file(const std::string& path, OpenMode m) {
    auto f = File::open(path, m);
    REQUIRE(f.ok());
    return std::move(*f);
}

} // namespace

TEST_CASE("USER-46 USER-47 reads take a shared lock on exactly the record's 1000 bytes") {
    test::TempInstall inst;
    Fast fast;
    auto dir = open_dir(inst, fast.policy(3));
    File other = open_file(inst.path("data/user/user.tab"), OpenMode::ReadWrite);
    // another reader: reads still work
    REQUIRE(other.try_lock(1000, 1000, LockKind::Shared) == platform::LockAttempt::Acquired);
    CHECK(dir->get(2).ok());
    other.unlock(1000, 1000);
    // a writer on the record: the read waits, then fails with a lock error
    REQUIRE(other.try_lock(1999, 1, LockKind::Exclusive) == platform::LockAttempt::Acquired);
    auto r = dir->get(2);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::Locked);
    CHECK(fast.sleeps.size() == 2);
    // neighbours are not covered by the record's range
    CHECK(dir->get(1).ok());
    CHECK(dir->get(3).ok());
    other.unlock(1999, 1);
    CHECK(dir->get(2).ok());
}

TEST_CASE("USER-48 a write needs the exclusive lock: another reader's lock blocks it") {
    test::TempInstall inst;
    Fast fast;
    auto dir = open_dir(inst, fast.policy(4));
    const std::string before = inst.read("data/user/user.tab");
    File other = open_file(inst.path("data/user/user.tab"), OpenMode::Read);
    REQUIRE(other.try_lock(1000, 1, LockKind::Shared) == platform::LockAttempt::Acquired);
    Status s = dir->record_login(2, {"127.0.0.2", "", "", 1});
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::Locked);
    CHECK(inst.read("data/user/user.tab") == before);
    CHECK(dir->record_login(1, {"127.0.0.2", "", "", 1}).ok());
    CHECK(dir->record_login(3, {"127.0.0.2", "", "", 1}).ok());
    other.unlock(1000, 1);
    CHECK(dir->record_login(2, {"127.0.0.2", "", "", 1}).ok());
    // the lock is released after the write
    CHECK(other.try_lock(1000, 1000, LockKind::Shared) == platform::LockAttempt::Acquired);
}

TEST_CASE("USER-49 up to 200 attempts, sleeping (attempt / 10) x 50 ms plus 0-100 ms") {
    test::TempInstall inst;
    Fast fast;
    auto dir = open_dir(inst, fast.policy(200));
    File other = open_file(inst.path("data/user/user.tab"), OpenMode::ReadWrite);
    REQUIRE(other.try_lock(0, 1000, LockKind::Exclusive) == platform::LockAttempt::Acquired);
    CHECK_FALSE(dir->get(1).ok());
    REQUIRE(fast.sleeps.size() == 199);
    for (unsigned a = 1; a <= 199; ++a) {
        CHECK(fast.sleeps[a - 1] >= (a / 10) * 50);
        CHECK(fast.sleeps[a - 1] <= (a / 10) * 50 + 100);
    }
    RetryPolicy def;
    CHECK(def.max_attempts == 200);
}

TEST_CASE("USER-50 record locks are OFD locks that conflict with another process's fcntl locks") {
    test::TempInstall inst;
    int ready[2], done[2];
    REQUIRE(pipe(ready) == 0);
    REQUIRE(pipe(done) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {   // a classic POSIX record lock, as another program would take
        int fd = ::open(inst.path("data/user/user.tab").c_str(), O_RDWR);
        struct flock fl {};
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        fl.l_start = 4000;
        fl.l_len = 1000;
        char c = fcntl(fd, F_SETLK, &fl) == 0 ? 'y' : 'n';
        (void)!write(ready[1], &c, 1);
        (void)!read(done[0], &c, 1);
        _exit(0);
    }
    char c = 0;
    REQUIRE(read(ready[0], &c, 1) == 1);
    REQUIRE(c == 'y');
    Fast fast;
    auto dir = open_dir(inst, fast.policy(2));
    CHECK_FALSE(dir->get(5).ok());
    CHECK(dir->get(4).ok());
    (void)!write(done[1], "x", 1);
    int st = 0;
    waitpid(child, &st, 0);
    CHECK(dir->get(5).ok());
    // two opens in one process also exclude each other (open-file-description locks)
    File a = open_file(inst.path("data/user/user.tab"), OpenMode::ReadWrite);
    File b = open_file(inst.path("data/user/user.tab"), OpenMode::ReadWrite);
    REQUIRE(a.try_lock(0, 1000, LockKind::Exclusive) == platform::LockAttempt::Acquired);
    CHECK(b.try_lock(0, 1000, LockKind::Shared) == platform::LockAttempt::Busy);
    for (int fd : {ready[0], ready[1], done[0], done[1]}) close(fd);
}

TEST_CASE("USER-51 name.dat is read under a whole-file shared lock, 100 attempts") {
    test::TempInstall inst;
    Fast fast;
    auto dir = open_dir(inst, fast.policy(200));
    File reader = open_file(inst.path("data/user/name.dat"), OpenMode::Read);
    REQUIRE(reader.try_lock(0, 0, LockKind::Shared) == platform::LockAttempt::Acquired);
    CHECK(dir->find_by_alias("sysop") == 1);       // readers share
    reader.unlock(0, 0);
    File writer = open_file(inst.path("data/user/name.dat"), OpenMode::ReadWrite);
    REQUIRE(writer.try_lock(0, 0, LockKind::Exclusive) == platform::LockAttempt::Acquired);
    CHECK(dir->find_by_alias("sysop") == 0);
    CHECK(fast.sleeps.size() == 99);
    // while we hold our shared lock, a writer cannot get in
    auto held = open_locked(inst.path("data/user/name.dat"), OpenMode::Read, LockKind::Shared, 1, fast.policy(1));
    CHECK_FALSE(held.ok());
    writer.unlock(0, 0);
    held = open_locked(inst.path("data/user/name.dat"), OpenMode::Read, LockKind::Shared, 1, fast.policy(1));
    REQUIRE(held.ok());
    CHECK(writer.try_lock(0, 0, LockKind::Exclusive) == platform::LockAttempt::Busy);
}
