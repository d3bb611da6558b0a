// A Logger that keeps every line for the test to inspect.
#pragma once

#include "log/logger.h"

#include <mutex>
#include <string>
#include <vector>

namespace sbbs::test {

class CaptureLogger : public Logger {
public:
    void log(LogLevel level, std::string_view text) override {
        std::lock_guard lk(mu_);
        lines_.push_back({level, std::string(text)});
    }
    bool enabled(LogLevel) const override { return true; }

    struct Line { LogLevel level; std::string text; };
    std::vector<Line> lines() const { std::lock_guard lk(mu_); return lines_; }
    // Is there a line at `level` containing `part`?
    bool has(LogLevel level, const std::string& part) const {
        std::lock_guard lk(mu_);
        for (auto& l : lines_) if (l.level == level && l.text.find(part) != std::string::npos) return true;
        return false;
    }
    bool has(const std::string& part) const {
        std::lock_guard lk(mu_);
        for (auto& l : lines_) if (l.text.find(part) != std::string::npos) return true;
        return false;
    }

private:
    mutable std::mutex mu_;
    std::vector<Line> lines_;
};

} // namespace sbbs::test
