// Windows has no syslog: daemon-mode lines go to stderr with the console stamp.
#include "log/syslog_logger.h"

#ifdef _WIN32
#include "log/stream_logger.h"

#include <cstdio>

namespace sbbs {

SyslogLogger::SyslogLogger(const char*) {}
SyslogLogger::~SyslogLogger() = default;

void SyslogLogger::log(LogLevel, std::string_view text) {
    const std::string line = stamped_line(text);
    std::fwrite(line.data(), 1, line.size(), stderr);  // one write per line
}

} // namespace sbbs
#endif
