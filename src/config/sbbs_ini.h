// ctrl/sbbs.ini: the [Global] keys the mail server uses and the [Mail]
// section with its inheritance from [Global] (config.md sections 3-5).
#pragma once

#include "config/diagnostic.h"
#include "config/ini_file.h"
#include "config/settings.h"

#include <string>
#include <vector>

namespace sbbs {

struct GlobalSettings {                 // CFG-36..CFG-47
    std::string ctrl_dir;               // '/'-terminated when set
    std::string temp_dir;               // '/'-terminated when set
    std::string host_name;
    std::string login_ars;
    uint32_t sem_file_check_frequency_s = 2;
    std::vector<std::string> interfaces{"0.0.0.0", "::"};
    std::string outbound_interface;
    std::string outbound_v6_interface;
    LogLevel log_level = LogLevel::Debug;
    LogLevel tls_error_level = LogLevel::Emergency;
    uint32_t bind_retry_count = 2;
    uint32_t bind_retry_delay_s = 15;
    LoginAttemptSettings login_attempt;
};

// [Global]; `ini` null = no sbbs.ini (every default).
GlobalSettings read_global_section(const IniFile* ini, Diagnostics& diags);

struct MailSection {
    MailSettings mail;                  // "0 means default" already applied
    std::string temp_dir;               // as written (inherited), "" = ../temp
};

// [Mail] with inheritance (CFG-49..CFG-96). The MaxClients "0 = nodes"
// rule and the HostName fallback need main.ini/msgs.ini: the loader does them.
MailSection read_mail_section(const IniFile* ini, const GlobalSettings& global, Diagnostics& diags);

// CFG-48: unknown keys of [Global] and [Mail] as Info diagnostics.
void report_unknown_sbbs_keys(const IniFile& ini, Diagnostics& diags);

} // namespace sbbs
