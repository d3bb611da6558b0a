// INTERIM configuration loader for the server runtime, used until the
// config helper's src/config/loader.h lands in main: reads the [Global] and
// [Mail] keys the runtime needs, main.ini, node.ini and msgs.ini.
#pragma once

#include "config/diagnostic.h"
#include "config/settings.h"
#include "util/result.h"

#include <string>

namespace sbbs::interim {

// `ctrl_dir` absolute or relative to the current directory.
Result<ConfigPtr> load_config(const std::string& ctrl_dir, Diagnostics& diags);

} // namespace sbbs::interim
