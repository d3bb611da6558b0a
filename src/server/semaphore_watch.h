// Recycle and shutdown triggers polled every SemFileCheckFrequency (CFG-8,
// SMTP-9): the recycle files of config/recycle_triggers.h (unless
// NO_RECYCLE) reload the configuration; ctrl/shutdown[.mail] and its host
// variants stop the server. A file counts when it is newer than the last
// start or recycle.
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

} // namespace sbbs
