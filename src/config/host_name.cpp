// This machine's host name, from the shared platform layer.
#include "config/install_paths.h"

#include "util/platform_clock.h"

namespace sbbs {

std::string local_host_name() { return os::host_name(); }

} // namespace sbbs
