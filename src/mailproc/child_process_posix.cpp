// POSIX child processes for mail processors (see child_process.h): spawned
// with posix_spawnp in a process group of their own, so a timeout kills the
// program and whatever it forked, and with no descriptor of the server's
// beyond stdin, stdout and stderr.
#include "mailproc/child_process.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace sbbs::mailproc {

namespace {

// posix_spawn's attributes and file actions, released on every path.
struct SpawnSetup {
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    SpawnSetup() {
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_setpgroup(&attr, 0);
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attr, &none);     // the server's blocked signals are not the child's
        posix_spawnattr_setsigdefault(&attr, &all);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        posix_spawn_file_actions_addclosefrom_np(&actions, 3);   // no client socket, base or log file
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
};

ChildExit exit_of(int status) {
    if (WIFSIGNALED(status)) return {false, true, WTERMSIG(status)};
    return {false, false, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

} // namespace

Result<ChildExit> run_child(const std::vector<std::string>& argv, std::chrono::milliseconds limit,
                            const std::atomic<bool>* stop) {
    if (argv.empty() || argv[0].empty()) return make_error("empty command", ErrorCode::Invalid);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    SpawnSetup setup;
    pid_t pid = 0;
    if (int rc = posix_spawnp(&pid, args[0], &setup.actions, &setup.attr, args.data(), environ); rc != 0)
        return make_error(argv[0] + ": " + std::strerror(rc), ErrorCode::Io);
    // Polled rather than signalled: the server's threads share one SIGCHLD.
    const auto deadline = std::chrono::steady_clock::now() + limit;
    auto pause = std::chrono::milliseconds(5);
    for (;;) {
        int status = 0;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return exit_of(status);
        if (r < 0 && errno != EINTR) return make_error(std::string("waitpid: ") + std::strerror(errno), ErrorCode::Io);
        if (std::chrono::steady_clock::now() >= deadline || (stop && stop->load())) break;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(100));
    }
    kill(-pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return ChildExit{true, false, 0};
}

} // namespace sbbs::mailproc
