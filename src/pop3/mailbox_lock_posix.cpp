// POSIX lock file for MailboxLock: flock() on a file of its own, so that two
// opens in one process exclude each other as well as other processes, and a
// crashed holder releases it.
#include "pop3/mailbox_lock.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace sbbs::pop3 {

std::unique_ptr<LockFile> LockFile::try_lock(const std::string& path, bool& unavailable) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0660);
    if (fd < 0) { unavailable = true; return nullptr; }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        unavailable = errno != EWOULDBLOCK;
        ::close(fd);
        return nullptr;
    }
    unavailable = false;
    return std::unique_ptr<LockFile>(new LockFile(fd));
}

LockFile::~LockFile() {
    ::flock(int(handle_), LOCK_UN);
    ::close(int(handle_));
}

} // namespace sbbs::pop3
