// syslog(3) with facility LOG_MAIL; LogLevel values are syslog's priorities.
#include "log/syslog_logger.h"

#include "log/printable_text.h"

#include <string>
#include <syslog.h>

namespace sbbs {

std::string syslog_text(std::string_view text) { return printable(text); }   // SEC-9

SyslogLogger::SyslogLogger(const char* ident) { openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL); }

SyslogLogger::~SyslogLogger() { closelog(); }

void SyslogLogger::log(LogLevel level, std::string_view text) {
    const std::string line = syslog_text(text);
    syslog(LOG_MAIL | static_cast<int>(level), "%s", line.c_str());
}

} // namespace sbbs
