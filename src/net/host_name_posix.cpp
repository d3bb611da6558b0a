// POSIX gethostname().
#include "net/host_name.h"

#include <unistd.h>

namespace sbbs {

std::string local_host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "";
    return buf;
}

} // namespace sbbs
