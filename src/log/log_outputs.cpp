// Assembling the log outputs from LogOutputOptions.
#include "log/log_outputs.h"

#include "log/stream_logger.h"
#include "log/syslog_logger.h"

namespace sbbs {

Result<std::unique_ptr<LogOutputs>> LogOutputs::open(const LogOutputOptions& options) {
    std::unique_ptr<LogOutputs> log(new LogOutputs());
    std::vector<std::shared_ptr<Logger>> shown;
    if (options.syslog) shown.push_back(std::make_shared<SyslogLogger>());
    else if (options.terminal) shown.push_back(std::make_shared<TerminalLogger>());
    if (options.file) {
        auto f = FileLogger::open(mail_log_path(options.logs_dir));
        if (!f) return f.error();
        log->file_ = std::move(*f);
        shown.push_back(log->file_);
    }
    log->filtered_ = std::make_shared<ThresholdLogger>(std::make_shared<TeeLogger>(std::move(shown)), options.level);
    std::vector<std::shared_ptr<Logger>> all{log->filtered_};
    if (options.error_log)
        all.push_back(std::make_shared<ErrorLogFile>(options.logs_dir, options.build, options.host_name));
    log->root_ = std::make_unique<TeeLogger>(std::move(all));
    return log;
}

} // namespace sbbs
