// ctrl/main.ini: system identity, node directories, [dir] paths and
// [level:N] limits (config.md section 6), plus node.ini's text_dir (section 7).
#pragma once

#include "config/diagnostic.h"
#include "config/ini_file.h"
#include "config/settings.h"

namespace sbbs {

// Fills `sys` and paths.data/exec/mods/logs (resolved against paths.ctrl).
void read_main_ini(const IniFile& ini, SystemSettings& sys, InstallPaths& paths, Diagnostics& diags);

// CFG-109: text_dir from the first node's node.ini, else ../text/ with a Warning.
std::string read_text_dir(const SystemSettings& sys, const std::string& ctrl, Diagnostics& diags);

} // namespace sbbs
