// Writing hack.log entries.
#include "log/hack_log.h"

#include "log/credential_scrubber.h"
#include "log/printable_text.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sbbs {

std::string hack_log_entry(const HackAttempt& a) {
    // Every field escaped (SEC-9): a login name is the client's to choose.
    std::string e = "SUSPECTED " + printable(a.reason) + " HACK ATTEMPT for user '" + printable(a.user) + "' on " +
                    printable(a.date.substr(0, 24)) + "\r\nUsing port " + std::to_string(a.port) + " at " +
                    printable(a.host) + " [" + printable(a.ip) + "]\r\n";
    if (a.password_given) e += "Details: " + std::string(kMasked) + "\r\n";
    return e + "\r\n";
}

Status append_hack_log(const std::string& logs_dir, const HackAttempt& a) {
    const std::string path = logs_dir + "hack.log";
    const std::string entry = hack_log_entry(a);
    std::FILE* f = std::fopen(path.c_str(), "ab");
    if (f == nullptr) return make_error(path + ": " + std::strerror(errno), ErrorCode::Io);
    const bool ok = std::fwrite(entry.data(), 1, entry.size(), f) == entry.size();
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed) return make_error(path + ": write failed", ErrorCode::Io);
    return {};
}

} // namespace sbbs
