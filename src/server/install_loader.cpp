// Adapter from the command line to src/config's loader.
#include "server/install_loader.h"

namespace sbbs {

LoadOptions load_options(const CliOptions& cli) {
    LoadOptions opt;
    opt.ctrl_dir = cli.ctrl_dir;
    opt.env_sbbsctrl = cli.env_ctrl;
    return opt;
}

Result<ConfigPtr> load_install(const CliOptions& cli, Diagnostics& diags) {
    return load_config(load_options(cli), diags);
}

} // namespace sbbs
