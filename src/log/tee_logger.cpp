// Fan-out of log lines.
#include "log/tee_logger.h"

namespace sbbs {

void TeeLogger::log(LogLevel level, std::string_view text) {
    for (const auto& s : sinks_)
        if (s && s->enabled(level)) s->log(level, text);
}

bool TeeLogger::enabled(LogLevel level) const {
    for (const auto& s : sinks_)
        if (s && s->enabled(level)) return true;
    return false;
}

} // namespace sbbs
