// Issue #17 item 4: one small thread that rewrites the status file
// (<data>/sbbsmail.status, read by --status) every second and, when
// [Mail] MetricsPort is set, answers GET /metrics on that port.
//
// A status file rather than a control socket: it needs no listener and no
// protocol, file permissions already say who may read it, and --status can
// tell "not running" from the recorded pid and age alone.
#pragma once

#include "config/settings.h"
#include "log/logger.h"
#include "net/stop_flag.h"

#include <memory>
#include <string>
#include <thread>

namespace sbbs {

std::string status_file_path(const Config& config);

class OpsReporter {
public:
    // Binds the metrics port first: a port that cannot be bound is logged and
    // the status file is still kept (metrics are never worth a failed start).
    OpsReporter(const Config& config, Logger& log);
    ~OpsReporter();   // stops the thread and removes the status file
    OpsReporter(const OpsReporter&) = delete;
    OpsReporter& operator=(const OpsReporter&) = delete;

private:
    void run();
    void write_status();
    void serve_one();

    Logger& log_;
    std::string status_path_;
    int listen_fd_ = -1;
    StopFlag stop_;
    std::thread thread_;
};

} // namespace sbbs
