// The scripted local SMTP client (see script_io.h).
#include "server/script_io.h"

#include <cstdlib>

namespace sbbs {

ScriptIo::ScriptIo(std::vector<std::string> commands, std::vector<std::string> body)
    : commands_(commands.begin(), commands.end()), body_(body.begin(), body.end()) {}

ReadLine ScriptIo::read_line(size_t, unsigned) {
    switch (phase_) {
    case Phase::Commands:
        if (!commands_.empty()) {
            std::string c = std::move(commands_.front());
            commands_.pop_front();
            return {ReadStatus::Line, std::move(c), LineEnd::CrLf};
        }
        // Every command has been answered (flushed before this read): the
        // body only after DATA's 354, else straight to QUIT.
        phase_ = !replies_.empty() && replies_.back().code == 354 ? Phase::Body : Phase::Quit;
        return read_line(0, 0);
    case Phase::Body:
        if (!body_.empty()) {
            std::string l = std::move(body_.front());
            body_.pop_front();
            if (!l.empty() && l[0] == '.') l.insert(0, 1, '.');   // dot-stuffing (RFC 5321 4.5.2)
            return {ReadStatus::Line, std::move(l), LineEnd::CrLf};
        }
        phase_ = Phase::Quit;
        return {ReadStatus::Line, ".", LineEnd::CrLf};
    case Phase::Quit:
        phase_ = Phase::Done;
        return {ReadStatus::Line, "QUIT", LineEnd::CrLf};
    case Phase::Done: break;
    }
    return {ReadStatus::Closed, {}, LineEnd::CrLf};
}

// Multi-line replies ("250-...") are kept as their final line only.
bool ScriptIo::write(std::string_view bytes) {
    partial_.append(bytes);
    size_t start = 0, end;
    while ((end = partial_.find("\r\n", start)) != std::string::npos) {
        std::string line = partial_.substr(start, end - start);
        start = end + 2;
        if (line.size() >= 3 && (line.size() == 3 || line[3] == ' '))
            replies_.push_back({std::atoi(line.substr(0, 3).c_str()), line.size() > 4 ? line.substr(4) : ""});
    }
    partial_.erase(0, start);
    return true;
}

} // namespace sbbs
