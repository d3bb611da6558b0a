// Serialised, one-write-per-line output to a C stream.
#include "log/stream_logger.h"

#include "log/line_stamp.h"
#include "log/printable_text.h"

#include <ctime>
#include <string>

namespace sbbs {

std::string stamped_line(std::string_view text) {
    std::string line;
    line.reserve(32 + text.size() + 8);   // one allocation: stamp, text, a few escapes
    append_console_stamp(line, std::time(nullptr));
    // Trailing white space trimmed, as the original's console does.
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
        text.remove_suffix(1);
    append_printable(line, text);
    line.push_back('\n');
    return line;
}

void StreamLogger::log(LogLevel level, std::string_view text) {
    const std::string line = format_line(level, text);
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
