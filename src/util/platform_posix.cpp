// POSIX/Linux twin of platform_file.h and platform_clock.h: pread/pwrite,
// fdatasync and open-file-description byte-range locks.
#include "util/platform_clock.h"
#include "util/platform_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sbbs {
namespace {

Error io_error(const std::string& path, const char* what, int err) {
    ErrorCode code = (err == ENOSPC || err == EDQUOT) ? ErrorCode::DiskFull : ErrorCode::Io;
    return make_error(path + ": " + what + ": " + std::strerror(err), code);
}

#if defined(F_OFD_SETLK)
constexpr int kSetLock = F_OFD_SETLK;   // never flock() nor process-owned locks
#else
constexpr int kSetLock = F_SETLK;
#endif

int set_lock(int fd, short type, uint64_t off, uint64_t len) {
    struct flock fl;
    std::memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = off_t(off);
    fl.l_len = off_t(len);
    return fcntl(fd, kSetLock, &fl);
}

} // namespace

PlatformFile& PlatformFile::operator=(PlatformFile&& o) noexcept {
    if (this != &o) {
        close();
        h_ = o.h_;
        path_ = std::move(o.path_);
        o.h_ = kClosed;
    }
    return *this;
}

Result<PlatformFile> PlatformFile::open(const std::string& path, FileOpen mode) {
    int flags = O_CLOEXEC;
    switch (mode) {
    case FileOpen::Read: flags |= O_RDONLY; break;
    case FileOpen::ReadWrite: flags |= O_RDWR; break;
    case FileOpen::ReadWriteCreate: flags |= O_RDWR | O_CREAT; break;
    case FileOpen::AppendCreate: flags |= O_WRONLY | O_APPEND | O_CREAT; break;
    }
    int fd = ::open(path.c_str(), flags, 0666);
    if (fd < 0) {
        int err = errno;
        Error e = io_error(path, "cannot open", err);
        if (err == ENOENT) e.code = ErrorCode::NotFound;
        if (err == EACCES || err == EAGAIN || err == EBUSY) e.code = ErrorCode::Locked;
        return e;
    }
    PlatformFile f;
    f.h_ = fd;
    f.path_ = path;
    return f;
}

void PlatformFile::close() {
    if (h_ != kClosed) ::close(int(h_));   // drops the description's OFD locks
    h_ = kClosed;
}

Result<uint64_t> PlatformFile::size() const {
    struct stat st;
    if (fstat(int(h_), &st) != 0) return io_error(path_, "stat", errno);
    return uint64_t(st.st_size);
}

bool PlatformFile::still_at_path() const {
    struct stat open_st, path_st;
    if (fstat(int(h_), &open_st) != 0 || ::stat(path_.c_str(), &path_st) != 0) return false;
    return open_st.st_dev == path_st.st_dev && open_st.st_ino == path_st.st_ino;
}

Result<size_t> PlatformFile::read_at(uint64_t off, void* buf, size_t n) const {
    size_t got = 0;
    while (got < n) {
        ssize_t r = ::pread(int(h_), static_cast<char*>(buf) + got, n - got, off_t(off + got));
        if (r < 0) {
            if (errno == EINTR) continue;
            return io_error(path_, "read", errno);
        }
        if (r == 0) break;
        got += size_t(r);
    }
    return got;
}

Status PlatformFile::write_at(uint64_t off, const void* buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = ::pwrite(int(h_), static_cast<const char*>(buf) + done, n - done, off_t(off + done));
        if (r < 0) {
            if (errno == EINTR) continue;
            return io_error(path_, "write", errno);
        }
        done += size_t(r);
    }
    return {};
}

Status PlatformFile::append(std::string_view data) {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t r = ::write(int(h_), data.data() + done, data.size() - done);
        if (r < 0) {
            if (errno == EINTR) continue;
            return io_error(path_, "write", errno);
        }
        done += size_t(r);
    }
    return {};
}

Status PlatformFile::truncate(uint64_t len) {
    if (::ftruncate(int(h_), off_t(len)) != 0) return io_error(path_, "truncate", errno);
    return {};
}

Status PlatformFile::sync() {
    if (::fdatasync(int(h_)) != 0) return io_error(path_, "fdatasync", errno);
    return {};
}

Result<LockTry> PlatformFile::try_lock(uint64_t off, uint64_t len, FileLock kind) {
    short type = kind == FileLock::Shared ? F_RDLCK : F_WRLCK;
    if (set_lock(int(h_), type, off, len) == 0) return LockTry::Acquired;
    int err = errno;
    if (err == EACCES || err == EAGAIN || err == EINTR || err == EDEADLK) return LockTry::Busy;
    if (err == EINVAL) return LockTry::Unsupported;
    return io_error(path_, "lock", err);
}

void PlatformFile::unlock(uint64_t off, uint64_t len) {
    set_lock(int(h_), F_UNLCK, off, len);
}

bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

FileStamp file_stamp(const std::string& path) {
    struct stat st;
    FileStamp s;
    if (::stat(path.c_str(), &st) != 0) return s;
    s.exists = true;
    s.device = uint64_t(st.st_dev);
    s.inode = uint64_t(st.st_ino);
    s.size = uint64_t(st.st_size);
    s.modified_ns = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    s.changed_ns = int64_t(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
    return s;
}

Status remove_file(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return io_error(path, "remove", errno);
    return {};
}

Result<bool> create_exclusive(const std::string& path) {
    int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return false;
        return io_error(path, "create", errno);
    }
    ::close(fd);
    return true;
}

Status rename_file(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) return io_error(from, ("rename to " + to).c_str(), errno);
    return {};
}

namespace os {

void sleep_ms(unsigned ms) {
    struct timespec ts{time_t(ms / 1000), long(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

uint64_t monotonic_ms() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * 1000 + uint64_t(ts.tv_nsec / 1000000);
}

uint32_t unix_time_now() { return uint32_t(::time(nullptr)); }

LocalTime local_time(time_t t) {
    struct tm tm;
    if (!localtime_r(&t, &tm)) return {0, 0, 0, 0, 0, 0, 0, 0};
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
            int(tm.tm_gmtoff / 60), tm.tm_wday};
}

std::string host_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "";
    return buf;
}

} // namespace os
} // namespace sbbs
