// SendMailSettings from the configuration snapshot (SEND-1..SEND-5).
#include "sendmail/sendmail_settings.h"

#include "log/logger.h"
#include "util/strings.h"

#include <fstream>

namespace sbbs {

unsigned SendMailSettings::relay_auth_methods() const {
    return unsigned(has(mail_opt::RELAY_AUTH_PLAIN)) + unsigned(has(mail_opt::RELAY_AUTH_LOGIN)) +
           unsigned(has(mail_opt::RELAY_AUTH_CRAM_MD5));
}

namespace {
std::vector<std::string> read_domains(const std::string& path) {
    std::vector<std::string> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        auto t = trim(line);
        if (!t.empty() && t[0] != ';') out.emplace_back(t);
    }
    return out;
}
} // namespace

SendMailSettings sendmail_settings(const Config& cfg, Logger* log) {
    SendMailSettings s;
    const MailSettings& m = cfg.mail;
    s.options = m.options;
    s.inet_addr = cfg.msgs.inet_addr;
    s.helo_host = m.host_name.empty() ? s.inet_addr : m.host_name;
    if (!s.inet_addr.empty()) s.local_domains.push_back(s.inet_addr);
    if (!m.host_name.empty()) s.local_domains.push_back(m.host_name);
    for (auto& d : read_domains(cfg.paths.ctrl + "domains.cfg")) s.local_domains.push_back(d);
    s.relay_server = m.relay_server;
    s.relay_port = m.relay_port ? uint16_t(m.relay_port) : 25;
    s.relay_username = m.relay_username;
    s.relay_password = m.relay_password;
    s.relay_tls_verify = m.relay_tls_verify;
    s.relay_auth_without_tls = m.relay_auth_without_tls;
    s.outbound_interface = m.outbound_interface;
    s.dns_server = m.dns_server;
    s.dkim_sign = m.dkim_sign;
    s.dkim_domain = m.dkim_domain;
    s.dkim_selector = m.dkim_selector;
    s.smtp_port = m.smtp_port ? m.smtp_port : 25;
    s.connect_timeout_s = m.connect_timeout_s;
    s.max_inactivity_s = m.max_inactivity_s ? m.max_inactivity_s : 120;
    s.max_delivery_attempts = m.max_delivery_attempts ? m.max_delivery_attempts : 50;
    s.rescan_frequency_s = m.rescan_frequency_s ? m.rescan_frequency_s : 3600;
    s.sem_check_frequency_s = m.sem_file_check_frequency_s ? m.sem_file_check_frequency_s : 2;
    s.delivery_workers = m.delivery_threads;           // defaulted and capped by the config loader
    s.delete_read_mail = (cfg.sys.settings & SystemSettings::SYS_DELREADM) != 0;
    s.ctrl_dir = cfg.paths.ctrl;
    s.data_dir = cfg.paths.data;
    s.mail_base = cfg.mail_base();
    s.mail_lock_path = s.mail_base + ".lock";
    if (s.has(mail_opt::RELAY_TX) && s.relay_server.empty()) {
        s.options &= ~mail_opt::RELAY_TX;
        if (log)
            log->log(LogLevel::Error, "SMTP-Transmit-Relay enabled, but no relay server (hostname or IP address) "
                                      "configured. Disabling.");
    }
    return s;
}

} // namespace sbbs
