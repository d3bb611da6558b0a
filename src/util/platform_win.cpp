// Win32 twin of platform_file.h and platform_clock.h. Handles share read,
// write and delete like POSIX descriptors; LockFileEx locks belong to the
// handle, as OFD locks belong to the description on Linux.
#ifdef _WIN32
#include "util/platform_clock.h"
#include "util/platform_file.h"
#include "util/wide_path.h"

#include <chrono>
#include <cstring>
#include <thread>
#include <windows.h>

namespace sbbs {
namespace {

std::string system_message(DWORD err) {
    char buf[256] = {};
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, err,
                             0, buf, sizeof buf, nullptr);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ')) buf[--n] = '\0';
    return n > 0 ? std::string(buf, n) : "error " + std::to_string(err);
}

Error io_error(const std::string& path, const std::string& what, DWORD err) {
    ErrorCode code = ErrorCode::Io;
    switch (err) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND: code = ErrorCode::NotFound; break;
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
    case ERROR_ACCESS_DENIED: code = ErrorCode::Locked; break;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL: code = ErrorCode::DiskFull; break;
    default: break;
    }
    return make_error(path + ": " + what + ": " + system_message(err), code);
}

HANDLE handle(intptr_t h) { return reinterpret_cast<HANDLE>(h); }

OVERLAPPED at(uint64_t off) {
    OVERLAPPED ov;
    std::memset(&ov, 0, sizeof ov);
    ov.Offset = DWORD(off & 0xFFFFFFFFu);
    ov.OffsetHigh = DWORD(off >> 32);
    return ov;
}

// len 0 means the whole file, however long it grows.
void lock_length(uint64_t len, DWORD& low, DWORD& high) {
    if (len == 0) len = ~uint64_t(0);
    low = DWORD(len & 0xFFFFFFFFu);
    high = DWORD(len >> 32);
}

constexpr DWORD kChunk = 1u << 30;   // ReadFile/WriteFile take a DWORD count

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
    DWORD access = GENERIC_READ | GENERIC_WRITE;
    DWORD disposition = OPEN_EXISTING;
    switch (mode) {
    case FileOpen::Read: access = GENERIC_READ; break;
    case FileOpen::ReadWrite: break;
    case FileOpen::ReadWriteCreate: disposition = OPEN_ALWAYS; break;
    case FileOpen::AppendCreate: access = FILE_APPEND_DATA | SYNCHRONIZE; disposition = OPEN_ALWAYS; break;
    }
    HANDLE h = CreateFileW(wide(path).c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           nullptr, disposition, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) return io_error(path, "cannot open", GetLastError());
    PlatformFile f;
    f.h_ = reinterpret_cast<intptr_t>(h);
    f.path_ = path;
    return f;
}

void PlatformFile::close() {
    if (h_ != kClosed) CloseHandle(handle(h_));   // drops the handle's locks
    h_ = kClosed;
}

Result<uint64_t> PlatformFile::size() const {
    LARGE_INTEGER n;
    if (!GetFileSizeEx(handle(h_), &n)) return io_error(path_, "stat", GetLastError());
    return uint64_t(n.QuadPart);
}

// Windows refuses to delete or replace a file another handle has open
// without FILE_SHARE_DELETE, which open() never grants.
bool PlatformFile::still_at_path() const { return true; }

Result<size_t> PlatformFile::read_at(uint64_t off, void* buf, size_t n) const {
    size_t got = 0;
    while (got < n) {
        OVERLAPPED ov = at(off + got);
        DWORD want = DWORD(n - got < kChunk ? n - got : kChunk);
        DWORD r = 0;
        if (!ReadFile(handle(h_), static_cast<char*>(buf) + got, want, &r, &ov)) {
            DWORD err = GetLastError();
            if (err == ERROR_HANDLE_EOF) break;
            return io_error(path_, "read", err);
        }
        if (r == 0) break;
        got += r;
    }
    return got;
}

Status PlatformFile::write_at(uint64_t off, const void* buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        OVERLAPPED ov = at(off + done);
        DWORD want = DWORD(n - done < kChunk ? n - done : kChunk);
        DWORD w = 0;
        if (!WriteFile(handle(h_), static_cast<const char*>(buf) + done, want, &w, &ov))
            return io_error(path_, "write", GetLastError());
        done += w;
    }
    return {};
}

Status PlatformFile::append(std::string_view data) {
    size_t done = 0;
    while (done < data.size()) {
        OVERLAPPED ov = at(~uint64_t(0));   // all ones: write at the end of the file
        DWORD want = DWORD(data.size() - done < kChunk ? data.size() - done : kChunk);
        DWORD w = 0;
        if (!WriteFile(handle(h_), data.data() + done, want, &w, &ov))
            return io_error(path_, "write", GetLastError());
        done += w;
    }
    return {};
}

Status PlatformFile::truncate(uint64_t len) {
    FILE_END_OF_FILE_INFO info;
    info.EndOfFile.QuadPart = LONGLONG(len);
    if (!SetFileInformationByHandle(handle(h_), FileEndOfFileInfo, &info, sizeof info))
        return io_error(path_, "truncate", GetLastError());
    return {};
}

Status PlatformFile::sync() {
    if (!FlushFileBuffers(handle(h_))) return io_error(path_, "flush", GetLastError());
    return {};
}

Result<LockTry> PlatformFile::try_lock(uint64_t off, uint64_t len, FileLock kind) {
    OVERLAPPED ov = at(off);
    DWORD low, high;
    lock_length(len, low, high);
    DWORD flags = LOCKFILE_FAIL_IMMEDIATELY | (kind == FileLock::Exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0);
    if (LockFileEx(handle(h_), flags, 0, low, high, &ov)) return LockTry::Acquired;
    DWORD err = GetLastError();
    if (err == ERROR_LOCK_VIOLATION || err == ERROR_IO_PENDING || err == ERROR_SHARING_VIOLATION)
        return LockTry::Busy;
    if (err == ERROR_NOT_SUPPORTED || err == ERROR_INVALID_FUNCTION) return LockTry::Unsupported;
    return io_error(path_, "lock", err);
}

void PlatformFile::unlock(uint64_t off, uint64_t len) {
    OVERLAPPED ov = at(off);
    DWORD low, high;
    lock_length(len, low, high);
    UnlockFileEx(handle(h_), 0, low, high, &ov);
}

bool file_exists(const std::string& path) {
    return GetFileAttributesW(wide(path).c_str()) != INVALID_FILE_ATTRIBUTES;
}

namespace {
// FILETIME (100 ns since 1601) as nanoseconds since 1970.
int64_t unix_ns(const FILETIME& t) {
    int64_t ticks = int64_t((uint64_t(t.dwHighDateTime) << 32) | t.dwLowDateTime);
    return (ticks - 116444736000000000LL) * 100;
}
} // namespace

FileStamp file_stamp(const std::string& path) {
    WIN32_FILE_ATTRIBUTE_DATA a;
    FileStamp s;
    if (!GetFileAttributesExW(wide(path).c_str(), GetFileExInfoStandard, &a)) return s;
    s.exists = true;
    s.size = (uint64_t(a.nFileSizeHigh) << 32) | a.nFileSizeLow;
    s.modified_ns = unix_ns(a.ftLastWriteTime);
    s.changed_ns = unix_ns(a.ftCreationTime);
    return s;
}

Status remove_file(const std::string& path) {
    if (!DeleteFileW(wide(path).c_str())) {
        DWORD err = GetLastError();
        if (err != ERROR_FILE_NOT_FOUND && err != ERROR_PATH_NOT_FOUND) return io_error(path, "remove", err);
    }
    return {};
}

Result<bool> create_exclusive(const std::string& path) {
    HANDLE h = CreateFileW(wide(path).c_str(), GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, CREATE_NEW,
                           FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD err = GetLastError();
        if (err == ERROR_FILE_EXISTS || err == ERROR_ALREADY_EXISTS) return false;
        return io_error(path, "create", err);
    }
    CloseHandle(h);
    return true;
}

Status rename_file(const std::string& from, const std::string& to) {
    if (!MoveFileExW(wide(from).c_str(), wide(to).c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        return io_error(from, "rename to " + to, GetLastError());
    return {};
}

namespace os {

void sleep_ms(unsigned ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

uint64_t monotonic_ms() { return GetTickCount64(); }

uint32_t unix_time_now() { return uint32_t(::time(nullptr)); }

namespace {
// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}
} // namespace

LocalTime local_time(time_t t) {
    struct tm tm;
    if (localtime_s(&tm, &t) != 0) return {0, 0, 0, 0, 0, 0, 0, 0};
    // Windows' tm has no tm_gmtoff: the wall clock read as UTC, minus t.
    int64_t as_utc = days_from_civil(tm.tm_year + 1900, unsigned(tm.tm_mon + 1), unsigned(tm.tm_mday)) * 86400 +
                     tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
            int((as_utc - int64_t(t)) / 60), tm.tm_wday};
}

std::string host_name() {
    char buf[256] = {};
    DWORD n = sizeof buf;
    if (!GetComputerNameExA(ComputerNameDnsHostname, buf, &n)) return "";
    return std::string(buf, n);
}

} // namespace os
} // namespace sbbs
#endif // _WIN32
