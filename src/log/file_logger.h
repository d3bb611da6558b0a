// The mail server log file under the logs directory, appended to so a sysop
// can `tail -f` it; reopen() lets logrotate move it away.
#pragma once

#include "log/stream_logger.h"
#include "util/result.h"

#include <memory>
#include <string>

namespace sbbs {

// Console: the original's line shapes (mail.log); Json: one JSON object per
// line (json_line.h, `[Mail] LogJSON`).
enum class LineFormat { Console, Json };

class FileLogger : public StreamLogger {
public:
    // Creates missing parent directories; appends to an existing file.
    static Result<std::unique_ptr<FileLogger>> open(const std::string& path, LineFormat format = LineFormat::Console);
    ~FileLogger() override;
    FileLogger(const FileLogger&) = delete;
    FileLogger& operator=(const FileLogger&) = delete;

    // Closes and reopens the same path (after rotation); on failure keeps
    // writing to the old stream and says why.
    Status reopen();
    const std::string& path() const { return path_; }

protected:
    std::string format_line(LogLevel level, std::string_view text) const override;

private:
    FileLogger(std::FILE* file, std::string path, LineFormat format)
        : StreamLogger(file), path_(std::move(path)), format_(format) {}
    std::string path_;
    LineFormat format_;
};

// Where the mail server log lives: <logs dir>/logs/mail.log, i.e.
// data/logs/mail.log in an install whose logs dir is data/ (the original
// keeps its dated logs in the same logs/ subdirectory). `logs_dir` ends in '/'.
std::string mail_log_path(const std::string& logs_dir);

} // namespace sbbs
