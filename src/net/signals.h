// Process signals as events: SIGTERM/SIGINT mean "stop", SIGHUP "reload".
// The handlers only write one byte to a self-pipe; wait() reads it.
#pragma once

#include "net/wake_pipe.h"

namespace sbbs {

enum class ProcessSignal { None, Stop, Reload };

class SignalWatch {
public:
    SignalWatch();    // installs the handlers (one watch per process)
    ~SignalWatch();   // restores the default dispositions
    SignalWatch(const SignalWatch&) = delete;
    SignalWatch& operator=(const SignalWatch&) = delete;

    // Waits up to `timeout_ms` (-1: forever) for a signal.
    ProcessSignal wait(int timeout_ms);

private:
    WakePipe pipe_;
};

// A write to a closed connection must fail with EPIPE, not kill the process.
void ignore_sigpipe();

} // namespace sbbs
