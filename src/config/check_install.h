// `sbbsmail --check`: reads everything the server would read at start-up
// (configuration, every filter list, alias.cfg, dns_blacklist.cfg,
// mailproc.ini) and collects every Diagnostic, without starting anything.
#pragma once

#include "config/diagnostic.h"
#include "config/loader.h"
#include "config/settings.h"

#include <string>
#include <vector>

namespace sbbs {

// The pattern-list files of config.md section 10/11 for this install, in a
// fixed order (ctrl/*.cfg, then text/*.can, then data/user/*.smtpblock).
std::vector<std::string> filter_list_paths(const InstallPaths& paths);

struct InstallCheck {
    ConfigPtr config;        // null when loading failed
    Diagnostics diags;
    bool ok() const;         // loaded and no fatal diagnostic
    bool clean() const;      // ok and nothing at Warning or worse
};

InstallCheck check_install(const LoadOptions& opt);

// The BBS user base (data/user/user.tab): without it no session can be
// served, so `--check` and start-up each say so once (issue #13).
void check_user_base(const InstallPaths& paths, Diagnostics& diags);

} // namespace sbbs
