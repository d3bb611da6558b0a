// Per-user file naming shared by the directory and the notice writer.
#include "userbase/user_paths.h"

#include <cstdio>

namespace sbbs {

std::string user_file_number(uint32_t number) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04u", static_cast<unsigned>(number));
    return buf;
}

} // namespace sbbs
