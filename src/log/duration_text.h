// Durations as the original writes them in log lines and filter reasons:
// "!5 FAILED LOGIN ATTEMPTS in 1.5 minutes", "remaining: 10 minutes",
// ip.can reason "5 FAILED LOGIN ATTEMPTS in 2m". Rounded to one decimal in
// the largest unit not larger than the value; a whole number drops ".0".
#pragma once

#include <cstdint>
#include <string>

namespace sbbs {

// Verbose: "0 seconds", "1 second", "45 seconds", "1 minute", "1.5 minutes",
// "2 hours", "1 day", "3.2 years".
std::string duration_words(int64_t seconds);
// Terse: "45s", "1m", "1.5m", "2h", "1d", "3.2y".
std::string duration_letters(int64_t seconds);

} // namespace sbbs
