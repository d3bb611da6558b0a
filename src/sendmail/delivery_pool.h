// A small bounded pool (ours): `count` independent tasks on at most `workers`
// threads at once (SendMail looks up a claimed round's new domains with it).
#pragma once

#include <cstddef>
#include <functional>

namespace sbbs {

// Calls task(i) once for every i in [0, count) on at most `workers` threads
// and returns when all calls have returned. With one worker or one task the
// calls run on the calling thread. The first exception a task throws is
// rethrown here once every thread has finished.
void run_bounded(size_t count, unsigned workers, const std::function<void(size_t)>& task);

} // namespace sbbs
