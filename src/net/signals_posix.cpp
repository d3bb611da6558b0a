// POSIX signal handlers feeding the SignalWatch self-pipe.
#include "net/signals.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <poll.h>
#include <unistd.h>

namespace sbbs {

namespace {

// The only process-wide state: where the handler writes (async-signal-safe).
std::atomic<int> g_signal_fd{-1};

extern "C" void on_signal(int sig) {
    int saved = errno;
    char byte = sig == SIGHUP ? 'H' : 'T';
    int fd = g_signal_fd.load();
    if (fd >= 0) [[maybe_unused]] ssize_t n = ::write(fd, &byte, 1);
    errno = saved;
}

void install(int sig, void (*handler)(int)) {
    struct sigaction sa {};
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(sig, &sa, nullptr);
}

} // namespace

SignalWatch::SignalWatch() {
    g_signal_fd.store(pipe_.write_fd());
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) install(sig, on_signal);
    ignore_sigpipe();
}

SignalWatch::~SignalWatch() {
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) install(sig, SIG_DFL);
    g_signal_fd.store(-1);
}

ProcessSignal SignalWatch::wait(int timeout_ms) {
    pollfd p{pipe_.read_fd(), POLLIN, 0};
    int n = ::poll(&p, 1, timeout_ms);
    if (n <= 0) return ProcessSignal::None;
    std::string got = pipe_.drain();
    if (got.find('T') != std::string::npos) return ProcessSignal::Stop;   // stop wins
    return got.empty() ? ProcessSignal::None : ProcessSignal::Reload;
}

void ignore_sigpipe() { install(SIGPIPE, SIG_IGN); }

} // namespace sbbs
