// Daemon mode: lines go to syslog with facility MAIL and the line's own
// severity (SMTP-251); on Windows, where there is no syslog, to stderr.
#pragma once

#include "log/logger.h"

#include <string>

namespace sbbs {

class SyslogLogger : public Logger {
public:
    explicit SyslogLogger(const char* ident = "sbbsmail");
    ~SyslogLogger() override;
    SyslogLogger(const SyslogLogger&) = delete;
    SyslogLogger& operator=(const SyslogLogger&) = delete;
    void log(LogLevel level, std::string_view text) override;
    bool enabled(LogLevel) const override { return true; }
};

// What syslog(3) is given for `text`: control characters escaped, since
// syslog daemons write it as it is to their files (SEC-9).
std::string syslog_text(std::string_view text);

} // namespace sbbs
