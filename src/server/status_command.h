// `sbbsmail --status` (issue #17 item 4): prints the running server's status
// file. Exit codes: 0 running, 1 the install or the file cannot be read,
// 3 not running (no file, or its pid is gone), 4 the file is stale (the
// server's process exists but has not rewritten it for 10 s: hung).
#pragma once

#include "server/cli.h"

#include <cstdio>

namespace sbbs {

inline constexpr int kStatusNotRunning = 3;
inline constexpr int kStatusStale = 4;

int run_status(const CliOptions& options, std::FILE* out, std::FILE* err);

} // namespace sbbs
