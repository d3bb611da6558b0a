// Assembling the server's loggers from the configuration.
#include "log/server_log.h"

#include "log/stream_logger.h"
#include "log/syslog_logger.h"

namespace sbbs {

Result<std::unique_ptr<ServerLog>> ServerLog::open(const Config& cfg, const ServerLogOptions& options) {
    std::unique_ptr<ServerLog> log(new ServerLog());
    std::vector<std::shared_ptr<Logger>> shown;
    if (options.syslog) shown.push_back(std::make_shared<SyslogLogger>());
    else if (options.terminal) shown.push_back(std::make_shared<TerminalLogger>());
    if (options.file) {
        auto f = FileLogger::open(mail_log_path(cfg.paths.logs));
        if (!f) return f.error();
        log->file_ = std::move(*f);
        shown.push_back(log->file_);
    }
    log->filtered_ = std::make_shared<ThresholdLogger>(std::make_shared<TeeLogger>(std::move(shown)), cfg.mail.log_level);
    std::vector<std::shared_ptr<Logger>> all{log->filtered_};
    if (options.error_log)
        all.push_back(std::make_shared<ErrorLogFile>(cfg.paths.logs, options.build, cfg.mail.host_name));
    log->root_ = std::make_unique<TeeLogger>(std::move(all));
    return log;
}

} // namespace sbbs
