// ServerLog: terminal + file, one threshold in front (SMTP-252).
#include "server/log_setup.h"

#include "log/stream_logger.h"
#include "log/tee_logger.h"

namespace sbbs {

ServerLog::ServerLog()
    : terminal_(std::make_shared<TerminalLogger>()),
      root_(std::make_shared<ThresholdLogger>(terminal_, LogLevel::Debug)) {}

void ServerLog::attach(const Config& config) {
    auto file = FileLogger::open(mail_log_path(config.paths.logs));
    if (!file) {
        root_->log(LogLevel::Error, "!Cannot open the log file: " + file.error().message);
        root_->set_threshold(config.mail.log_level);
        return;
    }
    file_ = std::move(*file);
    auto tee = std::make_shared<TeeLogger>(std::vector<std::shared_ptr<Logger>>{terminal_, file_});
    root_ = std::make_shared<ThresholdLogger>(tee, config.mail.log_level);
    root_->log(LogLevel::Info, "Logging to " + file_->path());
}

void ServerLog::refresh(const Config& config) {
    root_->set_threshold(config.mail.log_level);
    if (file_) {
        Status s = file_->reopen();
        if (!s) root_->log(LogLevel::Error, "!Cannot reopen the log file: " + s.error().message);
    }
}

} // namespace sbbs
