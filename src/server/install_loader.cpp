// Adapter over the configuration loader (interim until src/config's lands).
#include "server/install_loader.h"

#include "server/interim_config.h"

namespace sbbs {

Result<ConfigPtr> load_install(const std::string& ctrl_dir, Diagnostics& diags) {
    return interim::load_config(ctrl_dir, diags);
}

} // namespace sbbs
