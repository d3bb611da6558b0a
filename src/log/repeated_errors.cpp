// Downgrading repeated errors from one place.
#include "log/repeated_errors.h"

namespace sbbs {

LogLevel RepeatedErrors::level_for(LogLevel level, std::string_view place) {
    std::lock_guard lock(mutex_);
    const bool repeated = !last_place_.empty() && last_place_ == place;
    last_place_ = std::string(place);
    return repeated && level < LogLevel::Warning ? LogLevel::Warning : level;
}

} // namespace sbbs
