// Builds the immutable Config snapshot from an install: sbbs.ini (found per
// CFG-1..CFG-4), main.ini, node.ini and msgs.ini, with every problem as a
// Diagnostic and the start-up errors of CFG-168.
#pragma once

#include "config/diagnostic.h"
#include "config/settings.h"
#include "util/result.h"

#include <string>

namespace sbbs {

struct LoadOptions {
    std::string ctrl_dir;       // from the command line ("" = none)
    std::string env_sbbsctrl;   // the SBBSCTRL environment value ("" = unset)
    std::string host_name;      // for the CFG-3 name search ("" = this machine's)
    std::string include_base;   // where relative !include patterns start ("" = current dir, CFG-33)
};

// The snapshot, or an Error when a Diagnostic is fatal (all of them are in
// `diags` either way).
Result<ConfigPtr> load_config(const LoadOptions& opt, Diagnostics& diags);

// CFG-69: creates paths.temp when missing; failure is fatal for the caller.
Status prepare_temp_dir(const Config& cfg);

} // namespace sbbs
