// The LogLevel filter (SMTP-252, CFG-43): lines less severe than the
// threshold are dropped before they reach the sinks. The threshold can be
// changed while sessions log (a recycle reads a new LogLevel).
#pragma once

#include "log/logger.h"

#include <atomic>
#include <memory>

namespace sbbs {

class ThresholdLogger : public Logger {
public:
    ThresholdLogger(std::shared_ptr<Logger> inner, LogLevel threshold)
        : inner_(std::move(inner)), threshold_(static_cast<int>(threshold)) {}
    void log(LogLevel level, std::string_view text) override;
    bool enabled(LogLevel level) const override;
    void set_threshold(LogLevel level) { threshold_.store(static_cast<int>(level)); }
    LogLevel threshold() const { return static_cast<LogLevel>(threshold_.load()); }

private:
    std::shared_ptr<Logger> inner_;
    std::atomic<int> threshold_;
};

} // namespace sbbs
