// Started as root (systemd, an init script): become the install's own user
// before any file of the install is opened for writing, so mail.log, the
// state database, the mail base and generated TLS files belong to that user
// and a compromised session cannot act as root (issue #17 item 2).
#pragma once

#include "util/result.h"

#include <string>

namespace sbbs {

struct PrivilegeDrop {
    bool dropped = false;     // false: not root, or the chosen user is root
    std::string user;         // who we now run as
    unsigned uid = 0, gid = 0;
};

// Not root: nothing to do. Root: `run_as_user` (`[Mail] RunAsUser`, a name
// or number), else the owner of `data_dir`; when that is root itself we stay
// root (the caller warns). Otherwise setgroups/setgid/setuid to it, keeping
// only CAP_NET_BIND_SERVICE so a reload can still bind ports below 1024.
// Any failure is an error: the caller must not keep running as root.
Result<PrivilegeDrop> drop_privileges(const std::string& run_as_user, const std::string& data_dir);

} // namespace sbbs
