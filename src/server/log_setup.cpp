// ServerLog: terminal + file, one threshold in front (SMTP-252).
#include "server/log_setup.h"

#include "log/stream_logger.h"
#include "log/tee_logger.h"

namespace sbbs {

ServerLog::ServerLog()
    : terminal_(std::make_shared<TerminalLogger>()),
      root_(std::make_shared<ThresholdLogger>(terminal_, LogLevel::Debug)) {}

namespace {

// `[Mail] LogJSON`: a relative name lives beside mail.log.
std::string json_log_path(const Config& config) {
    const std::string& name = config.mail.log_json;
    if (name.empty() || name.front() == '/') return name;
    return config.paths.logs + "logs/" + name;
}

} // namespace

void ServerLog::attach(const Config& config) {
    std::vector<std::string> problems;
    auto file = FileLogger::open(mail_log_path(config.paths.logs));
    if (file) file_ = std::move(*file);
    else problems.push_back("!Cannot open the log file: " + file.error().message);
    if (!config.mail.log_json.empty()) {
        auto json = FileLogger::open(json_log_path(config), LineFormat::Json);
        if (json) json_ = std::move(*json);
        else problems.push_back("!Cannot open the JSON log file: " + json.error().message);
    }
    std::vector<std::shared_ptr<Logger>> sinks{terminal_};
    if (file_) sinks.push_back(file_);
    if (json_) sinks.push_back(json_);
    root_ = std::make_shared<ThresholdLogger>(std::make_shared<TeeLogger>(std::move(sinks)), config.mail.log_level);
    for (const auto& p : problems) root_->log(LogLevel::Error, p);
    if (file_) root_->log(LogLevel::Info, "Logging to " + file_->path());
    if (json_) root_->log(LogLevel::Info, "Logging JSON lines to " + json_->path());
}

void ServerLog::refresh(const Config& config) { root_->set_threshold(config.mail.log_level); }

void ServerLog::reopen_files() {
    for (const auto& f : {file_, json_}) {
        if (!f) continue;
        Status s = f->reopen();
        if (!s) root_->log(LogLevel::Error, "!Cannot reopen the log file: " + s.error().message);
    }
}

} // namespace sbbs
