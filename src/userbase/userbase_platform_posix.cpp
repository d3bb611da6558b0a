// POSIX/Linux implementation of the user base's platform services. Every
// POSIX call of the userbase module lives here.
#include "userbase/userbase_platform.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace sbbs::platform {
namespace {

Error io_error(const std::string& what, const std::string& path) {
    return make_error(path + ": " + what + ": " + std::strerror(errno), ErrorCode::Io);
}

#if defined(F_OFD_SETLK)
constexpr int kSetLock = F_OFD_SETLK;   // USER-50: never flock()
#else
constexpr int kSetLock = F_SETLK;
#endif

int set_lock(int fd, short type, uint64_t offset, uint64_t len) {
    struct flock fl;
    std::memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = static_cast<off_t>(offset);
    fl.l_len = static_cast<off_t>(len);
    return fcntl(fd, kSetLock, &fl);
}

} // namespace

File::~File() {
    if (fd_ >= 0) ::close(fd_);
}

File& File::operator=(File&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.fd_;
        path_ = std::move(o.path_);
        o.fd_ = -1;
    }
    return *this;
}

Result<File> File::open(const std::string& path, OpenMode mode) {
    int flags = O_CLOEXEC;
    switch (mode) {
    case OpenMode::Read: flags |= O_RDONLY; break;
    case OpenMode::ReadWrite: flags |= O_RDWR; break;
    case OpenMode::AppendCreate: flags |= O_WRONLY | O_APPEND | O_CREAT; break;
    }
    int fd = ::open(path.c_str(), flags, 0666);
    if (fd < 0) {
        Error e = io_error("cannot open", path);
        if (errno == ENOENT) e.code = ErrorCode::NotFound;
        return e;
    }
    File f;
    f.fd_ = fd;
    f.path_ = path;
    return f;
}

Result<uint64_t> File::size() const {
    struct stat st;
    if (fstat(fd_, &st) != 0) return io_error("cannot stat", path_);
    return static_cast<uint64_t>(st.st_size);
}

Result<std::string> File::read_all() const {
    auto n = size();
    if (!n) return n.error();
    std::string buf(*n, '\0');
    size_t got = 0;
    while (got < buf.size()) {
        ssize_t r = ::pread(fd_, buf.data() + got, buf.size() - got, static_cast<off_t>(got));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return io_error("cannot read", path_);
        if (r == 0) break;
        got += static_cast<size_t>(r);
    }
    buf.resize(got);
    return buf;
}

Status File::read_at(uint64_t offset, char* buf, size_t n) const {
    size_t got = 0;
    while (got < n) {
        ssize_t r = ::pread(fd_, buf + got, n - got, static_cast<off_t>(offset + got));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return io_error("cannot read", path_);
        if (r == 0) return make_error(path_ + ": short read", ErrorCode::Corrupt);
        got += static_cast<size_t>(r);
    }
    return {};
}

Status File::write_at(uint64_t offset, std::string_view data) {
    size_t put = 0;
    while (put < data.size()) {
        ssize_t r = ::pwrite(fd_, data.data() + put, data.size() - put,
                             static_cast<off_t>(offset + put));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return io_error("cannot write", path_);
        put += static_cast<size_t>(r);
    }
    return {};
}

Status File::append(std::string_view data) {
    size_t put = 0;
    while (put < data.size()) {
        ssize_t r = ::write(fd_, data.data() + put, data.size() - put);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return io_error("cannot write", path_);
        put += static_cast<size_t>(r);
    }
    return {};
}

LockAttempt File::try_lock(uint64_t offset, uint64_t len, LockKind kind) {
    short type = kind == LockKind::Shared ? F_RDLCK : F_WRLCK;
    if (set_lock(fd_, type, offset, len) == 0) return LockAttempt::Acquired;
    if (errno == EINVAL) return LockAttempt::Acquired;   // no lock support: as the original
    if (errno == EAGAIN || errno == EACCES || errno == EINTR) return LockAttempt::Busy;
    return LockAttempt::Failed;
}

void File::unlock(uint64_t offset, uint64_t len) {
    set_lock(fd_, F_UNLCK, offset, len);
}

bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

void sleep_ms(unsigned ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

time_t local_to_time(int y, int mo, int d, int h, int mi, int s) {
    struct tm tm;
    std::memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    time_t t = ::mktime(&tm);
    return t < 0 ? 0 : t;
}

long local_date(time_t t) {
    struct tm tm;
    if (!::localtime_r(&t, &tm)) return 0;
    return (tm.tm_year + 1900L) * 10000L + (tm.tm_mon + 1) * 100L + tm.tm_mday;
}

} // namespace sbbs::platform
