// userbase_platform.h over the shared platform layer (util/platform_file.h).
#include "userbase/userbase_platform.h"

#include "util/platform_clock.h"

namespace sbbs::platform {
namespace {
// The user base tells only "missing" from "I/O failed" (no Locked/DiskFull).
Error io(Error e) {
    if (e.code != ErrorCode::NotFound) e.code = ErrorCode::Io;
    return e;
}
Status io(Status s) { return s ? s : Status(io(s.error())); }
} // namespace

Result<File> File::open(const std::string& path, OpenMode mode) {
    FileOpen how = FileOpen::Read;
    switch (mode) {
    case OpenMode::Read: how = FileOpen::Read; break;
    case OpenMode::ReadWrite: how = FileOpen::ReadWrite; break;
    case OpenMode::AppendCreate: how = FileOpen::AppendCreate; break;
    }
    auto f = PlatformFile::open(path, how);
    if (!f) return io(f.error());
    File file;
    file.file_ = std::move(*f);
    return file;
}

Result<uint64_t> File::size() const {
    auto n = file_.size();
    if (!n) return io(n.error());
    return n;
}

Result<std::string> File::read_all() const {
    auto n = file_.size();
    if (!n) return io(n.error());
    std::string buf(*n, '\0');
    auto got = file_.read_at(0, buf.data(), buf.size());
    if (!got) return io(got.error());
    buf.resize(*got);
    return buf;
}

Status File::read_at(uint64_t offset, char* buf, size_t n) const {
    auto got = file_.read_at(offset, buf, n);
    if (!got) return io(got.error());
    if (*got != n) return make_error(path() + ": short read", ErrorCode::Corrupt);
    return {};
}

Status File::write_at(uint64_t offset, std::string_view data) {
    return io(file_.write_at(offset, data.data(), data.size()));
}

Status File::append(std::string_view data) { return io(file_.append(data)); }

LockAttempt File::try_lock(uint64_t offset, uint64_t len, LockKind kind) {
    auto r = file_.try_lock(offset, len, kind == LockKind::Shared ? FileLock::Shared : FileLock::Exclusive);
    if (!r) return LockAttempt::Failed;
    if (*r == LockTry::Busy) return LockAttempt::Busy;
    return LockAttempt::Acquired;   // also when the file system has no locks, as the original
}

void File::unlock(uint64_t offset, uint64_t len) { file_.unlock(offset, len); }

bool file_exists(const std::string& path) { return sbbs::file_exists(path); }

void sleep_ms(unsigned ms) { os::sleep_ms(ms); }

time_t local_to_time(int y, int mo, int d, int h, int mi, int s) {
    return os::local_to_time(y, mo, d, h, mi, s);
}

long local_date(time_t t) {
    os::LocalTime lt = os::local_time(t);
    return lt.year * 10000L + lt.month * 100L + lt.day;
}

} // namespace sbbs::platform
