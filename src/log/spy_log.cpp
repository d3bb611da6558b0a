// Appending a session's received lines to <protocol>spy.txt.
#include "log/spy_log.h"

#include "log/credential_scrubber.h"
#include "log/printable_text.h"
#include "util/strings.h"

#include <cerrno>
#include <cstring>

namespace sbbs {

std::string spy_log_path(const std::string& logs_dir, std::string_view protocol) {
    return logs_dir + to_lower(protocol) + "spy.txt";
}

Result<std::unique_ptr<SpyLog>> SpyLog::open(const std::string& logs_dir, std::string_view protocol) {
    std::string path = spy_log_path(logs_dir, protocol);
    std::FILE* f = std::fopen(path.c_str(), "ab");
    if (f == nullptr) return make_error(path + ": " + std::strerror(errno), ErrorCode::Io);
    return std::unique_ptr<SpyLog>(new SpyLog(f, std::move(path)));
}

SpyLog::~SpyLog() { std::fclose(file_); }

void SpyLog::write(std::string_view line) {
    // The scrubber remembers AUTH: the base64 lines that follow it are credentials too.
    std::string out = printable(scrubber_.scrub(trim_right(line)));   // one line each (SEC-9)
    out.push_back('\n');
    // One write per line: sessions of several spied clients share the file.
    std::fwrite(out.data(), 1, out.size(), file_);
    std::fflush(file_);
}

} // namespace sbbs
