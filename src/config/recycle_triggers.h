// The files whose appearance or change makes the mail server recycle,
// shut down, pause or clear failed logins (CFG-8), as pure path lists.
#pragma once

#include "config/settings.h"

#include <string>
#include <vector>

namespace sbbs {

// ctrl/<action>, <action>.mail, <action>.<host>, <action>.<host>.mail and,
// when the host name has a dot, the same two with the short host name.
// `action` is "recycle", "shutdown", "pause" or "clear".
std::vector<std::string> semaphore_paths(const std::string& ctrl, const std::string& action,
                                         const std::string& host_name);

// The recycle semaphores plus the sbbs.ini in use, ctrl/mailsrvr.rec and the
// mailproc.ini in use (ctrl/sbbs.ini / ctrl/mailproc.ini when none exists,
// so that creating one triggers a recycle).
std::vector<std::string> recycle_trigger_paths(const InstallPaths& paths, const std::string& host_name);

} // namespace sbbs
