// SemaphoreWatch: modification times compared with the last (re)start.
#include "server/semaphore_watch.h"

#include "util/strings.h"

namespace sbbs {

namespace {

namespace fs = std::filesystem;

bool newer(const std::string& path, fs::file_time_type since) {
    std::error_code ec;
    auto t = fs::last_write_time(path, ec);
    return !ec && t > since;
}

} // namespace

std::vector<std::string> semaphore_files(const std::string& ctrl, const std::string& base,
                                         const std::string& host_name) {
    std::vector<std::string> out{ctrl + base, ctrl + base + ".mail"};
    std::string full = to_lower(host_name);
    std::string shorter = full.substr(0, full.find('.'));
    std::vector<std::string> hosts;
    if (!full.empty()) hosts.push_back(full);
    if (!shorter.empty() && shorter != full) hosts.push_back(shorter);
    for (const auto& h : hosts) {
        out.push_back(ctrl + base + "." + h);
        out.push_back(ctrl + base + "." + h + ".mail");
    }
    return out;
}

SemaphoreWatch::SemaphoreWatch(const Config& config, const std::string& host_name) : host_(host_name) {
    rearm(config);
}

void SemaphoreWatch::rearm(const Config& config) {
    since_ = fs::file_time_type::clock::now();
    recycle_.clear();
    if (!config.mail.has(mail_opt::NO_RECYCLE)) {
        recycle_ = semaphore_files(config.paths.ctrl, "recycle", host_);
        recycle_.push_back(config.paths.ctrl + "mailsrvr.rec");
        if (!config.paths.sbbs_ini.empty()) recycle_.push_back(config.paths.sbbs_ini);
        if (!config.paths.mailproc_ini.empty()) recycle_.push_back(config.paths.mailproc_ini);
    }
    shutdown_ = semaphore_files(config.paths.ctrl, "shutdown", host_);
}

SemaphoreEvent SemaphoreWatch::check() const {
    for (const auto& f : shutdown_)
        if (newer(f, since_)) return SemaphoreEvent::Shutdown;
    for (const auto& f : recycle_)
        if (newer(f, since_)) return SemaphoreEvent::Recycle;
    return SemaphoreEvent::None;
}

} // namespace sbbs
