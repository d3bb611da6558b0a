// The command line: --ctrl DIR (else $SBBSCTRL, else /sbbs/ctrl; CFG-1),
// --check, --check-base PREFIX, --dump-base PREFIX, --help, --version.
#pragma once

#include "util/result.h"

#include <string>
#include <vector>

namespace sbbs {

enum class CliMode { Run, Check, CheckBase, DumpBase, Help, Version };

struct CliOptions {
    CliMode mode = CliMode::Run;
    std::string ctrl_dir;       // --ctrl as given ("" = none)
    std::string env_ctrl;       // $SBBSCTRL ("" = unset); the loader applies CFG-1
    std::string base_prefix;    // --check-base, --dump-base
};

// `env_ctrl` is $SBBSCTRL (null when unset); it is only recorded here.
Result<CliOptions> parse_cli(const std::vector<std::string>& args, const char* env_ctrl);
std::string usage_text();

} // namespace sbbs
