// The one place the runtime asks for a configuration snapshot. It uses the
// interim loader until src/config/loader.h lands, then switches to it.
#pragma once

#include "config/diagnostic.h"
#include "config/settings.h"
#include "util/result.h"

#include <string>

namespace sbbs {

Result<ConfigPtr> load_install(const std::string& ctrl_dir, Diagnostics& diags);

} // namespace sbbs
