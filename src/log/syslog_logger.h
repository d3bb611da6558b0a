// Daemon mode: lines go to syslog with facility MAIL and the line's own
// severity (SMTP-251); on Windows, where there is no syslog, to stderr.
#pragma once

#include "log/logger.h"

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

} // namespace sbbs
