// Serialised, one-write-per-line output to a C stream.
#include "log/stream_logger.h"

#include "log/line_stamp.h"

#include <ctime>
#include <string>

namespace sbbs {

std::string stamped_line(std::string_view text) {
    std::string line = console_stamp(std::time(nullptr));
    line.reserve(line.size() + text.size() + 8);
    // Trailing white space trimmed and control characters shown as ^X, as
    // the original's console does; a client can never start a new line.
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
        text.remove_suffix(1);
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) {
            line.push_back('^');
            line.push_back(u == 0x7F ? '?' : static_cast<char>('@' + u));
        } else {
            line.push_back(c);
        }
    }
    line.push_back('\n');
    return line;
}

void StreamLogger::log(LogLevel, std::string_view text) {
    const std::string line = stamped_line(text);
    std::lock_guard lock(mutex_);
    if (out_ == nullptr) return;
    // One fwrite + fflush: `tail -f` never sees half a line, and concurrent
    // sessions never interleave inside a line.
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
}

std::FILE* StreamLogger::exchange_stream(std::FILE* next) {
    std::lock_guard lock(mutex_);
    std::FILE* prev = out_;
    out_ = next;
    return prev;
}

} // namespace sbbs
