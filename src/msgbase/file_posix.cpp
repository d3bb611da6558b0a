// POSIX implementation of platform.h: pread/pwrite, fdatasync and Linux
// open-file-description byte-range locks (FMT-79).
#include "msgbase/platform.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sbbs::smb {

namespace {
Error io_error(const std::string& path, const char* what, int err) {
    ErrorCode code = (err == ENOSPC || err == EDQUOT) ? ErrorCode::DiskFull : ErrorCode::Io;
    return make_error(path + ": " + what + ": " + std::strerror(err), code);
}
} // namespace

File::~File() { close(); }

File& File::operator=(File&& o) noexcept {
    if (this != &o) {
        close();
        fd_ = o.fd_;
        read_only_ = o.read_only_;
        path_ = std::move(o.path_);
        o.fd_ = -1;
    }
    return *this;
}

Result<File> File::open(const std::string& path, bool create, bool read_only) {
    int flags = (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC | (create && !read_only ? O_CREAT : 0);
    int fd = ::open(path.c_str(), flags, 0666);
    if (fd < 0) {
        int err = errno;
        Error e = io_error(path, "cannot open", err);
        if (err == ENOENT) e.code = ErrorCode::NotFound;
        if (err == EACCES || err == EAGAIN || err == EBUSY) e.code = ErrorCode::Locked;
        return e;
    }
    File f;
    f.fd_ = fd;
    f.read_only_ = read_only;
    f.path_ = path;
    return f;
}

void File::close() {
    if (fd_ >= 0) ::close(fd_);   // closing the description drops its OFD locks
    fd_ = -1;
}

Result<uint64_t> File::size() const {
    struct stat st;
    if (fstat(fd_, &st) != 0) return io_error(path_, "stat", errno);
    return uint64_t(st.st_size);
}

Result<size_t> File::read_at(uint64_t off, void* buf, size_t n) const {
    size_t got = 0;
    while (got < n) {
        ssize_t r = ::pread(fd_, static_cast<char*>(buf) + got, n - got, off_t(off + got));
        if (r < 0) {
            if (errno == EINTR) continue;
            return io_error(path_, "read", errno);
        }
        if (r == 0) break;
        got += size_t(r);
    }
    return got;
}

Status File::read_exact(uint64_t off, void* buf, size_t n) const {
    auto r = read_at(off, buf, n);
    if (!r) return r.error();
    if (*r != n)
        return make_error(path_ + ": truncated (wanted " + std::to_string(n) + " bytes at offset " +
                              std::to_string(off) + ", file ends first)",
                          ErrorCode::Corrupt);
    return {};
}

Status File::write_at(uint64_t off, const void* buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = ::pwrite(fd_, static_cast<const char*>(buf) + done, n - done, off_t(off + done));
        if (r < 0) {
            if (errno == EINTR) continue;
            return io_error(path_, "write", errno);
        }
        done += size_t(r);
    }
    return {};
}

Status File::truncate(uint64_t len) {
    if (::ftruncate(fd_, off_t(len)) != 0) return io_error(path_, "truncate", errno);
    return {};
}

Status File::sync() {
    if (::fdatasync(fd_) != 0) return io_error(path_, "fdatasync", errno);
    return {};
}

Result<bool> File::try_lock(uint64_t off, uint64_t len) {
    struct flock fl;
    std::memset(&fl, 0, sizeof fl);
    fl.l_type = read_only_ ? F_RDLCK : F_WRLCK;   // FMT-79
    fl.l_whence = SEEK_SET;
    fl.l_start = off_t(off);
    fl.l_len = off_t(len);
    if (fcntl(fd_, F_OFD_SETLK, &fl) == 0) return true;
    int err = errno;
    if (err == EACCES || err == EAGAIN || err == EINTR || err == EDEADLK) return false;
    return io_error(path_, "lock", err);
}

void File::unlock(uint64_t off, uint64_t len) {
    struct flock fl;
    std::memset(&fl, 0, sizeof fl);
    fl.l_type = F_UNLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = off_t(off);
    fl.l_len = off_t(len);
    fcntl(fd_, F_OFD_SETLK, &fl);
}

bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
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

LocalTime local_time(uint32_t t) {
    time_t tt = time_t(t);
    struct tm tm;
    localtime_r(&tt, &tm);
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
            int(tm.tm_gmtoff / 60)};
}

} // namespace sbbs::smb
