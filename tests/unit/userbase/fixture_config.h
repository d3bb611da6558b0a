// A Config built by hand to match the sample install's main.ini/msgs.ini.
#pragma once

#include "temp_install.h"

#include "config/settings.h"

namespace sbbs::test {

inline Config fixture_config(const TempInstall& inst) {
    Config c;
    c.paths.ctrl = inst.ctrl();
    c.paths.data = inst.data();
    c.paths.text = inst.path("text") + "/";
    c.sys.name = "Test BBS";
    c.sys.qwk_id = "TESTBBS";
    c.sys.operator_name = "Sysop";
    c.sys.login = 0;
    c.sys.node_dirs = {inst.path("node1") + "/"};
    c.msgs.settings = 0xFFFF0000;
    c.mail.options = mail_opt::ALLOW_POP3 | mail_opt::USE_SUBMISSION_PORT;
    return c;
}

} // namespace sbbs::test
