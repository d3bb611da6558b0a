// Whole-install configuration check (see check_install.h).
#include "config/check_install.h"

#include "config/alias_table.h"
#include "config/dnsbl_list.h"
#include "config/file_glob.h"
#include "config/mail_processors.h"
#include "config/pattern_list.h"

#include <filesystem>

namespace sbbs {

namespace {

void check_pem_files(const MailSettings& m, Diagnostics& diags) {
    std::error_code ec;
    for (const std::string* f : {&m.tls_cert_file, &m.tls_key_file})
        if (!f->empty() && !std::filesystem::is_regular_file(*f, ec))
            diags.push_back({LogLevel::Warning, *f, 0, "TLS file named in [Mail] does not exist"});
}

} // namespace

void check_user_base(const InstallPaths& paths, Diagnostics& diags) {
    std::error_code ec;
    const std::string tab = paths.data + "user/user.tab";
    if (std::filesystem::is_regular_file(tab, ec)) return;
    std::string why = std::filesystem::exists(paths.data + "user/user.dat", ec)
                          ? "missing, but user.dat exists: run the Synchronet v3.20 upgrade (upgrade_to_v320)"
                          : "user base not found: every session is refused (421) until the BBS creates it";
    diags.push_back({LogLevel::Warning, tab, 0, why});
}

std::vector<std::string> filter_list_paths(const InstallPaths& paths) {
    std::vector<std::string> out;
    for (const char* f : {"domains.cfg", "relay.cfg", "spamblock.cfg", "spamblock_exempt.cfg", "spambait.cfg",
                          "dnsbl_exempt.cfg", "ipfilter_exempt.cfg", "twitlist.cfg"})
        out.push_back(paths.ctrl + f);
    for (const char* f : {"ip.can", "ip-silent.can", "host.can", "email.can", "subject.can", "smtpspy.can",
                          "name.can"})
        out.push_back(paths.text + f);
    for (const std::string& f : glob_files(paths.data + "user/*.smtpblock", paths.data)) out.push_back(f);
    return out;
}

bool InstallCheck::ok() const {
    if (!config) return false;
    for (const Diagnostic& d : diags)
        if (d.fatal()) return false;
    return true;
}

bool InstallCheck::clean() const {
    if (!ok()) return false;
    for (const Diagnostic& d : diags)
        if (d.level <= LogLevel::Warning) return false;
    return true;
}

InstallCheck check_install(const LoadOptions& opt) {
    InstallCheck check;
    auto cfg = load_config(opt, check.diags);
    if (!cfg) return check;
    check.config = *cfg;
    const InstallPaths& paths = check.config->paths;
    for (const std::string& list : filter_list_paths(paths)) (void)PatternList::load(list, &check.diags);
    (void)AliasTable::load(paths.ctrl + "alias.cfg", &check.diags);
    (void)load_dnsbl_list(paths.ctrl + "dns_blacklist.cfg", &check.diags);
    (void)load_mail_processors(paths.mailproc_ini, check.diags);
    check_pem_files(check.config->mail, check.diags);
    check_user_base(paths, check.diags);
    return check;
}

} // namespace sbbs
