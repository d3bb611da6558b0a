// The spy log of a session whose client is listed in text/smtpspy.can
// (SMTP-34, SMTP-143, CFG-148): every received line appended, LF-terminated,
// to <logs dir><protocol in lower case>spy.txt (smtpspy.txt, smtpsspy.txt).
// Credentials are masked, in command lines and in AUTH's continuation lines
// (SMTP-84: the original writes them in clear).
#pragma once

#include "log/credential_scrubber.h"
#include "util/result.h"

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace sbbs {

class SpyLog {
public:
    // `logs_dir` ends in '/'.
    static Result<std::unique_ptr<SpyLog>> open(const std::string& logs_dir, std::string_view protocol);
    ~SpyLog();
    SpyLog(const SpyLog&) = delete;
    SpyLog& operator=(const SpyLog&) = delete;

    // A command or message line as received (trailing white space removed).
    void write(std::string_view line);
    const std::string& path() const { return path_; }

private:
    SpyLog(std::FILE* f, std::string path) : file_(f), path_(std::move(path)) {}
    std::FILE* file_;
    std::string path_;
    CredentialScrubber scrubber_;   // passwords are never logged, AUTH's continuation lines included
};

std::string spy_log_path(const std::string& logs_dir, std::string_view protocol);

} // namespace sbbs
