// The machine's host name (full, as the system reports it).
#pragma once

#include <string>

namespace sbbs {

std::string local_host_name();

} // namespace sbbs
