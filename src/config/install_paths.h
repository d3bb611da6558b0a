// Where the install's files are: the control directory (CFG-1, CFG-4), the
// per-host INI name search (CFG-3) and paths relative to ctrl/ (CFG-6).
#pragma once

#include <string>

namespace sbbs {

// CFG-1: the command-line directory, else SBBSCTRL, else /sbbs/ctrl;
// always '/'-terminated.
std::string locate_ctrl_dir(const std::string& command_line_dir, const std::string& env_sbbsctrl);

// `path` resolved against `ctrl` unless absolute, normalised, '/'-terminated.
std::string resolve_dir(const std::string& ctrl, const std::string& path);
// Same for a file (no trailing '/').
std::string resolve_file(const std::string& ctrl, const std::string& path);

// CFG-3: the first existing of NAME.<host>.ini, NAME.<short host>.ini,
// NAME.<platform>.ini, NAME.local.ini, NAME.ini in `dir` (existence ignores
// the case of the file name); "" when none exists.
std::string find_host_ini(const std::string& dir, const std::string& name, const std::string& host_name);

// `dir` + `name`, or the entry of `dir` whose name equals `name` ignoring
// case; "" when neither exists.
std::string find_file_ignoring_case(const std::string& dir, const std::string& name);

// The platform word of CFG-3 ("linux", "win32", ...).
const char* platform_name();

// This machine's host name (platform file: host_name_posix.cpp).
std::string local_host_name();

} // namespace sbbs
