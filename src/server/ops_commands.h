// The commands of issue #17 items 3 and 4, kept out of cli.cpp: --status and
// --sendmail (also when called as `sendmail` through a link).
#pragma once

#include <optional>

namespace sbbs {

// The exit code when argv asks for one of them; nullopt: not ours.
std::optional<int> run_ops_command(int argc, char** argv);

} // namespace sbbs
