// The files a mail processor shares with the server (SMTP-216): message text,
// replacement text, debug log, recipient list and error file, named after the
// session in the temp directory as the original names them, and what the
// server reads back from them (SMTP-219, SMTP-221).
#pragma once

#include "util/text_pieces.h"

#include <optional>
#include <string>
#include <vector>

namespace sbbs::mailproc {

struct WorkFiles {
    std::string message;          // SBBS_<prot>.<session>.msg
    std::string new_message;      // .new
    std::string debug_log;        // .log
    std::string recipient_list;   // .lst
    std::string error;            // .err

    static WorkFiles in(const std::string& temp_dir, const std::string& protocol, const std::string& session_id);
    void remove_all() const;
};

// Owns a session's work files: they are removed when it goes out of scope.
class WorkFilesGuard {
public:
    explicit WorkFilesGuard(WorkFiles f) : files_(std::move(f)) {}
    ~WorkFilesGuard() { files_.remove_all(); }
    WorkFilesGuard(const WorkFilesGuard&) = delete;
    WorkFilesGuard& operator=(const WorkFilesGuard&) = delete;
    const WorkFiles& files() const { return files_; }

private:
    WorkFiles files_;
};

bool file_exists(const std::string& path);
// The file's text, at most `limit` bytes of it; nullopt when missing.
std::optional<std::string> read_text(const std::string& path, size_t limit);
bool write_text(const std::string& path, const std::string& text);
// The message file: the header, the blank line, then the body from where it
// is held, piece by piece (SEC-11: a 20 MiB body is never copied for it).
bool write_message(const std::string& path, const std::string& header, const TextPieces& body);

// Lines of a processor-written file, without line ends or trailing blanks,
// control characters replaced by '?' (they go to the wire and the log).
std::vector<std::string> text_lines(const std::string& text);
// SMTP-221: one reply line per error-file line: verbatim when it starts with
// a number 100..999, else "554-<line>" ("554 <line>" for the last).
std::vector<std::string> error_reply_lines(const std::string& error_text);

} // namespace sbbs::mailproc
