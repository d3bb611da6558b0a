// The one place the runtime asks for a configuration snapshot (src/config's
// loader), with the ctrl directory from the command line or SBBSCTRL (CFG-1).
#pragma once

#include "config/diagnostic.h"
#include "config/loader.h"
#include "config/settings.h"
#include "server/cli.h"
#include "util/result.h"

namespace sbbs {

LoadOptions load_options(const CliOptions& cli);
Result<ConfigPtr> load_install(const CliOptions& cli, Diagnostics& diags);

} // namespace sbbs
