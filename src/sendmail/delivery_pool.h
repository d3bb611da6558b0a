// A small bounded pool for one round of deliveries (ours, beyond SEND-6):
// the destinations of a scan are worked on by at most `workers` threads at
// once, each taking the next destination when it is done with one.
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
