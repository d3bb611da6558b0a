// Severity filter in front of a logger.
#include "log/threshold_logger.h"

namespace sbbs {

bool ThresholdLogger::enabled(LogLevel level) const {
    // Lower numbers are more severe (syslog order): Debug (7) passes only
    // when the threshold is Debug.
    return static_cast<int>(level) <= threshold_.load() && inner_ && inner_->enabled(level);
}

void ThresholdLogger::log(LogLevel level, std::string_view text) {
    if (enabled(level)) inner_->log(level, text);
}

} // namespace sbbs
