// The server's logging as the sysop sees it, built from the configuration:
// the terminal (or syslog in daemon mode) and the mail log file, both
// filtered by LogLevel (SMTP-252, CFG-43), plus error.log, which gets every
// error whatever LogLevel says. Everything logs to logger().
#pragma once

#include "config/settings.h"
#include "log/error_log.h"
#include "log/file_logger.h"
#include "log/tee_logger.h"
#include "log/threshold_logger.h"
#include "util/result.h"

#include <memory>
#include <string>

namespace sbbs {

struct ServerLogOptions {
    bool terminal = true;    // stderr
    bool syslog = false;     // daemon mode: syslog facility MAIL instead of stderr
    bool file = true;        // <logs>/logs/mail.log
    bool error_log = true;   // <logs>/error.log
    std::string build = "sbbsmail";  // written in error.log entries
};

class ServerLog {
public:
    static Result<std::unique_ptr<ServerLog>> open(const Config& cfg, const ServerLogOptions& options);

    Logger& logger() { return *root_; }
    // A recycle's new snapshot: new LogLevel (paths stay until restart).
    void apply(const Config& cfg) { filtered_->set_threshold(cfg.mail.log_level); }
    // After logrotate moved the file (SIGHUP).
    Status reopen_file() { return file_ ? file_->reopen() : Status(); }
    std::string file_path() const { return file_ ? file_->path() : std::string(); }

private:
    ServerLog() = default;
    std::shared_ptr<FileLogger> file_;
    std::shared_ptr<ThresholdLogger> filtered_;
    std::unique_ptr<TeeLogger> root_;
};

} // namespace sbbs
