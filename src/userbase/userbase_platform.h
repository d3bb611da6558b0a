// The operating-system services the user base needs, in its own terms over
// the shared platform layer of src/util (userbase.md USER-46..51: byte-range
// and whole-file locks).
#pragma once

#include "util/platform_file.h"
#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace sbbs::platform {

enum class OpenMode { Read, ReadWrite, AppendCreate };
enum class LockKind { Shared, Exclusive };
enum class LockAttempt { Acquired, Busy, Failed };

// An open file; closing it drops every lock it holds.
class File {
public:
    File() = default;

    static Result<File> open(const std::string& path, OpenMode mode);
    bool is_open() const { return file_.is_open(); }
    const std::string& path() const { return file_.path(); }

    Result<uint64_t> size() const;
    Result<std::string> read_all() const;
    // Exactly `n` bytes at `offset`, or an error.
    Status read_at(uint64_t offset, char* buf, size_t n) const;
    Status write_at(uint64_t offset, std::string_view data);
    Status append(std::string_view data);

    // One non-blocking attempt on [offset, offset+len); len 0 = whole file.
    // On Linux an open-file-description lock, so two opens of one file by
    // one process exclude each other just as two processes do.
    LockAttempt try_lock(uint64_t offset, uint64_t len, LockKind kind);
    void unlock(uint64_t offset, uint64_t len);

private:
    PlatformFile file_;
};

bool file_exists(const std::string& path);
void sleep_ms(unsigned ms);
// Local-time conversions (mktime/localtime), used for USER-12 and USER-17.
time_t local_to_time(int y, int mo, int d, int h, int mi, int s);
long local_date(time_t t);   // CCYYMMDD as a number

} // namespace sbbs::platform
