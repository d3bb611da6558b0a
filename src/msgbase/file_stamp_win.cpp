// Win32 twin of file_stamp.h: size, last-write and creation times from the
// directory entry, and the file index through a handle that shares
// everything (so the BBS's opens are never refused because of it).
#ifdef _WIN32
#include "msgbase/file_stamp.h"
#include "util/wide_path.h"

#include <windows.h>

namespace sbbs::smb {

namespace {
int64_t ticks(const FILETIME& t) { return int64_t((uint64_t(t.dwHighDateTime) << 32) | t.dwLowDateTime); }
} // namespace

Result<FileStamp> stamp_of(const std::string& path) {
    // W with wide(): the path is UTF-8, which the A call would read as ANSI.
    HANDLE h = CreateFileW(wide(path).c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD err = GetLastError();
        bool missing = err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND;
        return make_error(path + ": cannot open for its stamp", missing ? ErrorCode::NotFound : ErrorCode::Io);
    }
    BY_HANDLE_FILE_INFORMATION info;
    BOOL ok = GetFileInformationByHandle(h, &info);
    CloseHandle(h);
    if (!ok) return make_error(path + ": cannot read its stamp", ErrorCode::Io);
    FileStamp s;
    s.device = info.dwVolumeSerialNumber;
    s.inode = (uint64_t(info.nFileIndexHigh) << 32) | info.nFileIndexLow;
    s.size = (uint64_t(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
    s.modified_ns = ticks(info.ftLastWriteTime) * 100;
    s.changed_ns = ticks(info.ftCreationTime) * 100;   // Win32 has no change time; a replaced file differs here
    return s;
}

} // namespace sbbs::smb
#endif
