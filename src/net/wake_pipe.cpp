// POSIX self-pipe (non-blocking both ends, close-on-exec).
#include "net/wake_pipe.h"

#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace sbbs {

WakePipe::WakePipe() {
    if (::pipe2(fds_, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
}

WakePipe::~WakePipe() {
    ::close(fds_[0]);
    ::close(fds_[1]);
}

void WakePipe::notify(char byte) const {
    [[maybe_unused]] ssize_t n = ::write(fds_[1], &byte, 1);
}

std::string WakePipe::drain() const {
    std::string out;
    char buf[64];
    ssize_t n;
    while ((n = ::read(fds_[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
}

} // namespace sbbs
