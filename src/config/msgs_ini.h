// ctrl/msgs.ini: message groups, sub-boards with their internal codes,
// FidoNet addresses, QWK hubs and the [Internet] address (config.md section 8).
#pragma once

#include "config/diagnostic.h"
#include "config/ini_file.h"
#include "config/settings.h"

namespace sbbs {

// `data_dir` is the install's data directory ('/'-terminated) for subs with
// a blank data_dir; relative sub data dirs resolve against `ctrl`.
// Duplicate ptridx or codes are Error diagnostics (CFG-168).
MsgsSettings read_msgs_ini(const IniFile& ini, const std::string& ctrl, const std::string& data_dir,
                           Diagnostics& diags);

} // namespace sbbs
