// In-memory log for tests.
#include "log/capture_logger.h"

namespace sbbs {

void CaptureLogger::log(LogLevel level, std::string_view text) {
    std::lock_guard lock(mutex_);
    lines_.push_back({level, std::string(text)});
}

std::vector<LoggedLine> CaptureLogger::lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}

bool CaptureLogger::contains(std::string_view fragment) const {
    std::lock_guard lock(mutex_);
    for (const auto& l : lines_)
        if (l.text.find(fragment) != std::string::npos) return true;
    return false;
}

bool CaptureLogger::contains(LogLevel level, std::string_view fragment) const {
    std::lock_guard lock(mutex_);
    for (const auto& l : lines_)
        if (l.level == level && l.text.find(fragment) != std::string::npos) return true;
    return false;
}

std::string CaptureLogger::dump() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& l : lines_) out += std::to_string(static_cast<int>(l.level)) + " " + l.text + "\n";
    return out;
}

void CaptureLogger::clear() {
    std::lock_guard lock(mutex_);
    lines_.clear();
}

} // namespace sbbs
