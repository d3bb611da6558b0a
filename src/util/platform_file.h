// One open file and the file-system calls every core module shares, so the
// POSIX and Win32 twins (platform_posix.cpp, platform_win.cpp) are written once.
#pragma once

#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sbbs {

enum class FileOpen {
    Read,              // existing file, read only
    ReadWrite,         // existing file
    ReadWriteCreate,   // created empty when missing
    AppendCreate,      // write only, every write at the end, created when missing
};
enum class FileLock { Shared, Exclusive };
// Unsupported: the file system has no byte-range locks (EINVAL on Linux).
enum class LockTry { Acquired, Busy, Unsupported };

// An open file description (a HANDLE on Windows). Its byte-range locks belong
// to it, not to the process: on Linux they are OFD locks (F_OFD_SETLK), so
// two opens of one file in one process exclude each other as two processes
// do; closing it (or destroying it) drops every lock it holds.
class PlatformFile {
public:
    PlatformFile() = default;
    ~PlatformFile() { close(); }
    PlatformFile(PlatformFile&& o) noexcept : h_(o.h_), path_(std::move(o.path_)) { o.h_ = kClosed; }
    PlatformFile& operator=(PlatformFile&& o) noexcept;
    PlatformFile(const PlatformFile&) = delete;
    PlatformFile& operator=(const PlatformFile&) = delete;

    // NotFound when missing; Locked when another program refuses sharing.
    static Result<PlatformFile> open(const std::string& path, FileOpen mode);
    bool is_open() const { return h_ != kClosed; }
    const std::string& path() const { return path_; }
    void close();

    Result<uint64_t> size() const;
    // False when the path no longer names this open file (deleted, or
    // replaced by another file): writes through it would reach no one.
    bool still_at_path() const;
    // Up to n bytes at off; fewer only at the end of the file.
    Result<size_t> read_at(uint64_t off, void* buf, size_t n) const;
    Status write_at(uint64_t off, const void* buf, size_t n);
    Status append(std::string_view data);   // AppendCreate files
    Status truncate(uint64_t len);
    Status sync();                          // data and size to stable storage

    // One non-blocking attempt on [off, off+len); len 0 = the whole file,
    // however long it grows. Unlock the same range that was locked (Windows
    // matches ranges exactly).
    Result<LockTry> try_lock(uint64_t off, uint64_t len, FileLock kind);
    void unlock(uint64_t off, uint64_t len);

private:
    static constexpr intptr_t kClosed = -1;   // also INVALID_HANDLE_VALUE
    intptr_t h_ = kClosed;
    std::string path_;
};

bool file_exists(const std::string& path);

// What stat() says about a path, enough to tell that a file was changed or
// replaced: a rewrite changes the size or the times, a rename-over the inode
// (Windows has no inode: 0). Times in nanoseconds since 1970 (UTC).
struct FileStamp {
    bool exists = false;
    uint64_t device = 0, inode = 0, size = 0;
    int64_t modified_ns = 0, changed_ns = 0;   // changed: status change (POSIX), creation (Windows)
    bool operator==(const FileStamp& o) const {
        return exists == o.exists && device == o.device && inode == o.inode && size == o.size &&
               modified_ns == o.modified_ns && changed_ns == o.changed_ns;
    }
    bool operator!=(const FileStamp& o) const { return !(*this == o); }
};
// One stat(); a missing or unreadable path gives a stamp with exists false.
FileStamp file_stamp(const std::string& path);
Status remove_file(const std::string& path);   // missing is fine
// Creates `path` empty only if it does not exist yet; false when it does.
Result<bool> create_exclusive(const std::string& path);
// Replaces `to` atomically when it exists.
Status rename_file(const std::string& from, const std::string& to);

} // namespace sbbs
