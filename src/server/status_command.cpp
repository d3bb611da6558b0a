// --status: read <data>/sbbsmail.status as the server keeps it (ops_reporter).
#include "server/status_command.h"

#include "server/install_loader.h"
#include "server/ops_reporter.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <signal.h>
#include <sstream>

namespace sbbs {

namespace {

constexpr long long kStaleAfterS = 10;   // the server rewrites it every second

// A pid that no longer exists: ESRCH. EPERM means it exists (another user's).
bool process_exists(long pid) { return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM); }

} // namespace

int run_status(const CliOptions& options, std::FILE* out, std::FILE* err) {
    Diagnostics diags;
    auto cfg = load_install(options, diags);
    if (!cfg) {
        std::fprintf(err, "sbbsmail: cannot read the install: %s\n", cfg.error().message.c_str());
        return 1;
    }
    std::string path = status_file_path(**cfg);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == EACCES) {
            std::fprintf(err, "sbbsmail: %s: permission denied (run as the server's user or group)\n", path.c_str());
            return 1;
        }
        std::fprintf(err, "sbbsmail: not running (no %s)\n", path.c_str());
        return kStatusNotRunning;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string report = text.str();
    long pid = 0;
    long long updated = 0;
    if (std::sscanf(report.c_str(), "pid %ld\nupdated %lld", &pid, &updated) != 2) {
        std::fprintf(err, "sbbsmail: %s: not a status file of ours\n", path.c_str());
        return 1;
    }
    if (!process_exists(pid)) {
        std::fprintf(err, "sbbsmail: not running (process %ld named in %s is gone)\n", pid, path.c_str());
        return kStatusNotRunning;
    }
    std::fputs(report.c_str(), out);
    long long age = static_cast<long long>(std::time(nullptr)) - updated;
    if (age > kStaleAfterS) {
        std::fprintf(err, "sbbsmail: process %ld has not updated its status for %lld s: hung?\n", pid, age);
        return kStatusStale;
    }
    return 0;
}

} // namespace sbbs
