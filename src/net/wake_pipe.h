// A self-pipe: notify() may be called from any thread or a signal handler;
// the owner polls read_fd() and drains it.
#pragma once

#include <string>

namespace sbbs {

class WakePipe {
public:
    WakePipe();
    ~WakePipe();
    WakePipe(const WakePipe&) = delete;
    WakePipe& operator=(const WakePipe&) = delete;

    int read_fd() const { return fds_[0]; }
    int write_fd() const { return fds_[1]; }
    void notify(char byte = 1) const;   // async-signal-safe
    // Reads and returns every pending byte.
    std::string drain() const;

private:
    int fds_[2] = {-1, -1};
};

} // namespace sbbs
