// Running one external program as a child process: an argv (never a shell),
// stdin from /dev/null, output discarded, and a time limit after which the
// child and everything it started are killed.
#pragma once

#include "util/result.h"

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace sbbs::mailproc {

struct ChildExit {
    bool timed_out = false;   // killed at the time limit
    bool signalled = false;   // ended by a signal (other than our kill)
    int status = 0;           // exit status, or the signal number
    bool ok() const { return !timed_out && !signalled && status == 0; }
};

// argv[0] is looked up in PATH when it has no '/'. An Error when the program
// cannot be started at all. `stop` (the server stopping) ends the child as
// the time limit does, so a shutdown does not wait out MailProcessorTimeout.
Result<ChildExit> run_child(const std::vector<std::string>& argv, std::chrono::milliseconds limit,
                            const std::atomic<bool>* stop = nullptr);

} // namespace sbbs::mailproc
