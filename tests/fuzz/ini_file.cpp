// libFuzzer target for the INI dialect (sbbs.ini, main.ini, msgs.ini and the
// other ctrl/*.ini files) and the readers that type its sections.
#include "config/ini_file.h"
#include "config/main_ini.h"
#include "config/msgs_ini.h"
#include "config/sbbs_ini.h"
#include "config/settings.h"

#include <cstdint>
#include <string>

using namespace sbbs;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    Diagnostics diags;
    // !include stays off: it would read files named by the input.
    IniFile ini = IniFile::parse(text, "fuzz.ini", IniOptions{}, diags);
    for (auto& s : ini.sections()) {
        (void)ini.section(s.name);
        (void)s.answers("Mail", false);
        for (auto& e : s.entries) (void)s.find(e.key);
    }
    (void)ini.sections_with_prefix("sub:");
    GlobalSettings global = read_global_section(&ini, diags);
    (void)read_mail_section(&ini, global, diags);
    report_unknown_sbbs_keys(ini, diags);
    SystemSettings sys;
    InstallPaths paths;
    read_main_ini(ini, sys, paths, diags);
    (void)read_msgs_ini(ini, "/nonexistent-sbbsmail-fuzz/ctrl/", "/nonexistent-sbbsmail-fuzz/data/", diags);
    return 0;
}
