// Helpers for the net unit tests: a capturing logger and a temp directory.
#pragma once

#include "log/logger.h"

#include <filesystem>
#include <mutex>
#include <stdlib.h>
#include <string>
#include <vector>

namespace sbbs::test {
// Each module's test helpers get their own inline namespace, so two helpers of
// one name (TempDir) can never silently collide across test binaries (ODR).
inline namespace net_support {

class CaptureLogger : public Logger {
public:
    void log(LogLevel, std::string_view text) override {
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.emplace_back(text);
    }
    bool enabled(LogLevel) const override { return true; }
    std::vector<std::string> lines() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "sbbsnet.XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

} // inline namespace net_support
} // namespace sbbs::test
