// Recycle and shutdown triggers polled every SemFileCheckFrequency (CFG-8,
// SMTP-9): ctrl/recycle[.mail], ctrl/recycle.<host>[.mail], the sbbs.ini and
// mailproc.ini in use and ctrl/mailsrvr.rec recycle (unless NO_RECYCLE);
// ctrl/shutdown[.mail] and ctrl/shutdown.<host>[.mail] stop the server.
// A file counts when it is newer than the last start or recycle.
#pragma once

#include "config/settings.h"

#include <filesystem>
#include <string>
#include <vector>

namespace sbbs {

enum class SemaphoreEvent { None, Recycle, Shutdown };

class SemaphoreWatch {
public:
    SemaphoreWatch(const Config& config, const std::string& host_name);
    SemaphoreEvent check() const;
    // After a recycle: only changes from now on count.
    void rearm(const Config& config);

private:
    std::vector<std::string> recycle_, shutdown_;
    std::filesystem::file_time_type since_;
    std::string host_;
};

// The semaphore names for `base` ("recycle", "shutdown") in `ctrl`.
std::vector<std::string> semaphore_files(const std::string& ctrl, const std::string& base,
                                         const std::string& host_name);

} // namespace sbbs
