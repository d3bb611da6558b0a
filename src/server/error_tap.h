// A Logger in front of the server's log that keeps its last error lines for
// --status (issue #17): errors are rare, so the copy costs nothing.
#pragma once

#include "log/logger.h"
#include "util/mail_metrics.h"

namespace sbbs {

class ErrorTap : public Logger {
public:
    explicit ErrorTap(Logger& next) : next_(next) {}
    void log(LogLevel level, std::string_view text) override {
        if (level <= LogLevel::Error) metrics::mail_metrics().note_error(std::string(text));
        next_.log(level, text);
    }
    bool enabled(LogLevel level) const override { return level <= LogLevel::Error || next_.enabled(level); }

private:
    Logger& next_;
};

} // namespace sbbs
