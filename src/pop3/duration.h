// Durations in log lines, in the original's "estimate" wording ("1.5 minutes").
#pragma once

#include <string>

namespace sbbs::pop3 {

std::string duration_estimate(double seconds);

} // namespace sbbs::pop3
