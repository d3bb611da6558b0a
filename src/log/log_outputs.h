// Every log output the sysop sees, built from LogOutputOptions (named
// LogOutputs: the server module has its own ServerLog that may wrap this):
// the terminal (or syslog in daemon mode) and the mail log file, both
// filtered by LogLevel (SMTP-252, CFG-43), plus error.log, which gets every
// error whatever LogLevel says. Everything logs to logger().
#pragma once

#include "log/log_level.h"
#include "log/error_log.h"
#include "log/file_logger.h"
#include "log/repeated_errors.h"
#include "log/tee_logger.h"
#include "log/threshold_logger.h"
#include "util/result.h"

#include <memory>
#include <string>

namespace sbbs {

// log/'s own view of what it needs from the configuration: server/ fills it
// in, so log/ depends on nothing above util/ (issue #17 item 5).
struct LogOutputOptions {
    std::string logs_dir;                   // [Global] LogDirectory, ends in '/'
    LogLevel level = LogLevel::Debug;       // [Mail] LogLevel
    std::string host_name;                  // written in error.log entries
    bool terminal = true;    // stderr
    bool syslog = false;     // daemon mode: syslog facility MAIL instead of stderr
    bool file = true;        // <logs>/logs/mail.log
    bool error_log = true;   // <logs>/error.log
    std::string build = "sbbsmail";  // written in error.log entries
};

class LogOutputs {
public:
    static Result<std::unique_ptr<LogOutputs>> open(const LogOutputOptions& options);

    Logger& logger() { return *root_; }
    // A recycle's new snapshot: new LogLevel (paths stay until restart).
    void apply(LogLevel level) { filtered_->set_threshold(level); }
    // After logrotate moved the file (SIGHUP).
    Status reopen_file() { return file_ ? file_->reopen() : Status(); }
    std::string file_path() const { return file_ ? file_->path() : std::string(); }
    // For SessionLog::set_repeated_errors.
    RepeatedErrors& repeated_errors() { return repeated_; }

private:
    LogOutputs() = default;
    std::shared_ptr<FileLogger> file_;
    std::shared_ptr<ThresholdLogger> filtered_;
    std::unique_ptr<TeeLogger> root_;
    RepeatedErrors repeated_;
};

} // namespace sbbs
