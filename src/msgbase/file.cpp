// platform.h over the shared platform layer: the SMB base's files lock
// exclusively when writable and shared when read only (FMT-79).
#include "msgbase/platform.h"

#include "util/platform_clock.h"

namespace sbbs::smb {

Result<File> File::open(const std::string& path, bool create, bool read_only) {
    FileOpen mode = read_only ? FileOpen::Read : create ? FileOpen::ReadWriteCreate : FileOpen::ReadWrite;
    auto f = PlatformFile::open(path, mode);
    if (!f) return f.error();
    File file;
    file.file_ = std::move(*f);
    file.read_only_ = read_only;
    return file;
}

Result<uint64_t> File::size() const { return file_.size(); }

Result<size_t> File::read_at(uint64_t off, void* buf, size_t n) const { return file_.read_at(off, buf, n); }

Status File::read_exact(uint64_t off, void* buf, size_t n) const {
    auto r = file_.read_at(off, buf, n);
    if (!r) return r.error();
    if (*r != n)
        return make_error(path() + ": truncated (wanted " + std::to_string(n) + " bytes at offset " +
                              std::to_string(off) + ", file ends first)",
                          ErrorCode::Corrupt);
    return {};
}

Status File::write_at(uint64_t off, const void* buf, size_t n) { return file_.write_at(off, buf, n); }

Status File::truncate(uint64_t len) { return file_.truncate(len); }

Status File::sync() { return file_.sync(); }

Result<bool> File::try_lock(uint64_t off, uint64_t len) {
    auto r = file_.try_lock(off, len, read_only_ ? FileLock::Shared : FileLock::Exclusive);   // FMT-79
    if (!r) return r.error();
    if (*r == LockTry::Unsupported) return make_error(path() + ": lock: not supported", ErrorCode::Io);
    return *r == LockTry::Acquired;
}

void File::unlock(uint64_t off, uint64_t len) { file_.unlock(off, len); }

bool file_exists(const std::string& path) { return sbbs::file_exists(path); }
Status remove_file(const std::string& path) { return sbbs::remove_file(path); }
Result<bool> create_exclusive(const std::string& path) { return sbbs::create_exclusive(path); }
void sleep_ms(unsigned ms) { os::sleep_ms(ms); }
uint64_t monotonic_ms() { return os::monotonic_ms(); }
uint32_t unix_time_now() { return os::unix_time_now(); }

LocalTime local_time(uint32_t t) {
    os::LocalTime lt = os::local_time(time_t(t));
    return {lt.year, lt.month, lt.day, lt.hour, lt.minute, lt.second, lt.utc_offset_min};
}

} // namespace sbbs::smb
