// Sends every line to several loggers (the terminal and the log file).
#pragma once

#include "log/logger.h"

#include <memory>
#include <vector>

namespace sbbs {

class TeeLogger : public Logger {
public:
    explicit TeeLogger(std::vector<std::shared_ptr<Logger>> sinks) : sinks_(std::move(sinks)) {}
    void log(LogLevel level, std::string_view text) override;
    bool enabled(LogLevel level) const override;

private:
    const std::vector<std::shared_ptr<Logger>> sinks_;  // fixed at construction: no lock needed
};

} // namespace sbbs
