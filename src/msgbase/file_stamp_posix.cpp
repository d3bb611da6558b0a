// POSIX twin of file_stamp.h: stat(2) with its nanosecond timestamps.
#include "msgbase/file_stamp.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace sbbs::smb {

Result<FileStamp> stamp_of(const std::string& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
        return make_error(path + ": stat: " + std::strerror(errno), errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io);
    FileStamp s;
    s.device = uint64_t(st.st_dev);
    s.inode = uint64_t(st.st_ino);
    s.size = uint64_t(st.st_size);
    s.modified_ns = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    s.changed_ns = int64_t(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
    return s;
}

} // namespace sbbs::smb
