// Names of per-user files under the data directory (USER-5).
#pragma once

#include <cstdint>
#include <string>

namespace sbbs {

// User 5 is "0005", user 12345 is "12345".
std::string user_file_number(uint32_t number);

} // namespace sbbs
