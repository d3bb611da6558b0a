// The few operating-system services the SMB base needs (files, byte-range
// locks, sleeping), in the SMB base's terms over the shared platform layer
// of src/util (platform_file.h, platform_clock.h).
#pragma once

#include "util/platform_file.h"
#include "util/result.h"

#include <cstdint>
#include <string>

namespace sbbs::smb {

// One open file description (FMT-79: OFD locks belong to it, so each base
// handle owns its own and threads of one process exclude each other).
class File {
public:
    File() = default;

    // Read/write, created when missing (FMT-7) unless `create` is false.
    static Result<File> open(const std::string& path, bool create, bool read_only = false);
    bool is_open() const { return file_.is_open(); }
    const std::string& path() const { return file_.path(); }
    void close() { file_.close(); }

    Result<uint64_t> size() const;
    bool still_at_path() const { return file_.still_at_path(); }
    // Reads up to n bytes at off; returns how many were read (short at EOF).
    Result<size_t> read_at(uint64_t off, void* buf, size_t n) const;
    Status read_exact(uint64_t off, void* buf, size_t n) const;
    Status write_at(uint64_t off, const void* buf, size_t n);
    Status truncate(uint64_t len);
    Status sync();                    // data (and size) to stable storage

    // Non-blocking exclusive lock on [off, off+len) (len 0 = whole file).
    // false when another description holds a conflicting lock.
    Result<bool> try_lock(uint64_t off, uint64_t len);
    void unlock(uint64_t off, uint64_t len);

private:
    PlatformFile file_;
    bool read_only_ = false;
};

bool file_exists(const std::string& path);
Status remove_file(const std::string& path);      // missing is fine
// Creates `path` empty with O_CREAT|O_EXCL; false when it already exists.
Result<bool> create_exclusive(const std::string& path);
void sleep_ms(unsigned ms);
uint64_t monotonic_ms();
uint32_t unix_time_now();
// Local wall clock of `t` broken down, and its offset east of UTC in minutes.
struct LocalTime { int year, month, day, hour, minute, second, utc_offset_min; };
LocalTime local_time(uint32_t t);

} // namespace sbbs::smb
