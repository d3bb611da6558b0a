// SemaphoreWatch: modification times compared with the last (re)start.
#include "server/semaphore_watch.h"

#include "config/recycle_triggers.h"

namespace sbbs {

namespace {

namespace fs = std::filesystem;

bool newer(const std::string& path, fs::file_time_type since) {
    std::error_code ec;
    auto t = fs::last_write_time(path, ec);
    return !ec && t > since;
}

} // namespace

SemaphoreWatch::SemaphoreWatch(const Config& config, const std::string& host_name) : host_(host_name) {
    rearm(config);
}

void SemaphoreWatch::rearm(const Config& config) {
    since_ = fs::file_time_type::clock::now();
    recycle_.clear();
    if (!config.mail.has(mail_opt::NO_RECYCLE)) recycle_ = recycle_trigger_paths(config.paths, host_);
    shutdown_ = semaphore_paths(config.paths.ctrl, "shutdown", host_);
}

SemaphoreEvent SemaphoreWatch::check() const {
    for (const auto& f : shutdown_)
        if (newer(f, since_)) return SemaphoreEvent::Shutdown;
    for (const auto& f : recycle_)
        if (newer(f, since_)) return SemaphoreEvent::Recycle;
    return SemaphoreEvent::None;
}

} // namespace sbbs
