// Append-only log file with parent-directory creation and reopen.
#include "log/file_logger.h"

#include "log/json_line.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>

namespace sbbs {

namespace {

Result<std::FILE*> open_append(const std::string& path) {
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) return make_error(parent.string() + ": " + ec.message(), ErrorCode::Io);
    std::FILE* f = std::fopen(path.c_str(), "ab");
    if (f == nullptr) return make_error(path + ": " + std::strerror(errno), ErrorCode::Io);
    return f;
}

} // namespace

Result<std::unique_ptr<FileLogger>> FileLogger::open(const std::string& path, LineFormat format) {
    auto f = open_append(path);
    if (!f) return f.error();
    return std::unique_ptr<FileLogger>(new FileLogger(*f, path, format));
}

std::string FileLogger::format_line(LogLevel level, std::string_view text) const {
    if (format_ == LineFormat::Json) return json_log_line(level, text, std::time(nullptr));
    return stamped_line(text);
}

FileLogger::~FileLogger() {
    if (std::FILE* f = exchange_stream(nullptr)) std::fclose(f);
}

Status FileLogger::reopen() {
    auto f = open_append(path_);
    if (!f) return f.error();
    if (std::FILE* old = exchange_stream(*f)) std::fclose(old);
    return {};
}

std::string mail_log_path(const std::string& logs_dir) {
    return logs_dir + "logs/mail.log";
}

} // namespace sbbs
