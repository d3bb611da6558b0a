// This machine's host name via gethostname() (the POSIX twin of a future
// host_name_win32.cpp).
#include "config/install_paths.h"

#include <unistd.h>

namespace sbbs {

std::string local_host_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "";
    return buf;
}

} // namespace sbbs
