// What main() runs for each command-line mode.
#pragma once

#include "server/cli.h"

#include <cstdio>

namespace sbbs {

int run_server(const CliOptions& options);
int run_check(const CliOptions& options, std::FILE* out);
int run_check_base(const CliOptions& options, std::FILE* out);

} // namespace sbbs
