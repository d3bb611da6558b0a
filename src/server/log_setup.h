// The server's log: the terminal, <logs>/logs/mail.log and the optional
// JSON-lines log (`[Mail] LogJSON`, issue #17) (src/log), behind the
// LogLevel threshold of the running configuration.
#pragma once

#include "config/settings.h"
#include "log/file_logger.h"
#include "log/threshold_logger.h"

#include <memory>

namespace sbbs {

class ServerLog {
public:
    ServerLog();                       // terminal only, until a config is known
    // Adds the log file of `config` and applies its LogLevel; a file that
    // cannot be opened is reported and the terminal keeps working.
    void attach(const Config& config);
    // After a reload: new LogLevel (the files stay until a restart).
    void refresh(const Config& config);
    // Every SIGHUP, whether the reload then works or not: the log files are
    // closed and opened again by path, so logrotate's move + HUP starts new ones.
    void reopen_files();
    Logger& logger() { return *root_; }

private:
    std::shared_ptr<Logger> terminal_;
    std::shared_ptr<FileLogger> file_;
    std::shared_ptr<FileLogger> json_;
    std::shared_ptr<ThresholdLogger> root_;
};

} // namespace sbbs
