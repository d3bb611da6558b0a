// Recycle and other semaphore file names (see recycle_triggers.h).
#include "config/recycle_triggers.h"

namespace sbbs {

std::vector<std::string> semaphore_paths(const std::string& ctrl, const std::string& action,
                                         const std::string& host_name) {
    std::vector<std::string> out{ctrl + action, ctrl + action + ".mail"};
    if (host_name.empty()) return out;
    out.push_back(ctrl + action + "." + host_name);
    out.push_back(ctrl + action + "." + host_name + ".mail");
    size_t dot = host_name.find('.');
    if (dot != std::string::npos) {
        std::string short_name = host_name.substr(0, dot);
        out.push_back(ctrl + action + "." + short_name);
        out.push_back(ctrl + action + "." + short_name + ".mail");
    }
    return out;
}

std::vector<std::string> recycle_trigger_paths(const InstallPaths& paths, const std::string& host_name) {
    std::vector<std::string> out = semaphore_paths(paths.ctrl, "recycle", host_name);
    out.push_back(paths.sbbs_ini.empty() ? paths.ctrl + "sbbs.ini" : paths.sbbs_ini);
    out.push_back(paths.ctrl + "mailsrvr.rec");
    out.push_back(paths.mailproc_ini.empty() ? paths.ctrl + "mailproc.ini" : paths.mailproc_ini);
    return out;
}

} // namespace sbbs
