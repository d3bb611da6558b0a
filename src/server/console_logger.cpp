// ConsoleLogger: one locked fwrite per line so threads never interleave.
#include "server/console_logger.h"

#include <ctime>
#include <string>

namespace sbbs {

void ConsoleLogger::log(LogLevel level, std::string_view text) {
    if (!enabled(level)) return;
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%m/%d %H:%M:%S mail ", &tm);
    std::string line = stamp;
    line.append(text);
    line.push_back('\n');
    std::lock_guard<std::mutex> lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
}

} // namespace sbbs
