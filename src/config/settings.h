// The server's configuration snapshot: everything read from sbbs.ini [Global]
// and [Mail], main.ini, msgs.ini and node.ini, after defaults, inheritance and
// "0 means default" (config.md sections 3-8). Immutable once built; a recycle
// builds a new one and swaps the shared_ptr.
#pragma once

#include "config/mail_auth_settings.h"
#include "config/options.h"
#include "log/log_level.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sbbs {

// Paths of the install, each absolute and ending in '/'.
struct InstallPaths {
    std::string ctrl;   // CFG-1, CFG-4
    std::string data;   // CFG-105 [dir] data
    std::string exec;
    std::string mods;
    std::string logs;   // CFG-105 [dir] logs (default = data)
    std::string text;   // CFG-109 node.ini text_dir
    std::string temp;   // CFG-69
    std::string sbbs_ini;     // the sbbs.ini actually used ("" if none found)
    std::string mailproc_ini; // the mailproc.ini actually used ("" if none)
};

struct LoginAttemptSettings {            // CFG-45
    uint32_t delay_ms = 5000;
    uint32_t throttle_ms = 1000;
    uint32_t hack_threshold = 10;
    uint32_t tempban_threshold = 20;
    uint32_t tempban_duration_s = 600;
    uint32_t filter_threshold = 0;
    uint32_t filter_duration_s = 0;
};

struct RateLimitSettings {               // CFG-86 (not inherited)
    uint32_t subnet_prefix4 = 0;
    uint32_t subnet_prefix6 = 64;
    uint32_t filter_threshold = 0;
    uint32_t filter_duration_s = 0;
    bool filter_silent = false;
    uint32_t filter_subnet_threshold = 2;
};

struct MailSettings {                    // [Mail], CFG-49..CFG-96
    bool auto_start = true;
    std::vector<std::string> interfaces;       // SMTP/submission/SMTPS
    std::vector<std::string> pop3_interfaces;  // POP3/POP3S
    uint16_t smtp_port = 25;
    uint16_t submission_port = 587;
    uint16_t tls_submission_port = 465;
    uint16_t pop3_port = 110;
    uint16_t tls_pop3_port = 995;
    uint16_t relay_port = 25;
    uint32_t max_clients = 100;
    uint32_t max_inactivity_s = 120;
    uint32_t max_delivery_attempts = 50;
    uint32_t rescan_frequency_s = 3600;
    uint32_t sem_file_check_frequency_s = 2;
    uint32_t lines_per_yield = 10;
    uint32_t max_recipients = 100;      // 0 = unlimited
    uint64_t max_msg_size = 20971520;   // 0 = unlimited
    uint32_t max_telegram_size = 4096;  // ours: SEND/SOML/SAML body bytes (1..64K)
    uint32_t mail_processor_timeout_s = 60;  // ours: a mail processor's time limit (1..3600 s)
    uint32_t max_msgs_waiting = 100;    // 0 = unlimited
    uint32_t connect_timeout_s = 30;
    std::string host_name;              // final: [Mail] or [Global] or [Internet] addr
    std::string login_requirements;
    std::string archive_requirements;
    std::string relay_server;
    std::string relay_username;
    std::string relay_password;
    bool dkim_sign = false;
    std::string dkim_domain;
    std::string dkim_selector = "mail";
    std::string dns_server;
    std::string default_user;
    std::string post_to;
    std::string dnsbl_header = "X-DNSBL";
    std::string dnsbl_subject = "SPAM";
    std::string outbound_interface;     // IPv4 text, "" = any
    std::string outbound_v6_interface;  // IPv6 text, "" = any
    LogLevel log_level = LogLevel::Debug;
    LogLevel tls_error_level = LogLevel::Emergency;
    // ours (issue #17): running as a service
    std::string log_json;               // JSON-lines log ("" = none); relative: under <logs>/logs/
    std::string run_as_user;            // started as root: switch to it ("" = owner of data/)
    uint32_t bind_retry_count = 2;
    uint32_t bind_retry_delay_s = 15;
    LoginAttemptSettings login_attempt;
    uint32_t max_concurrent_connections = 0;
    uint32_t max_requests_per_period = 0;
    uint32_t request_rate_limit_period_s = 3600;
    RateLimitSettings rate_limit;
    uint32_t spam_block_duration_s = 0;
    bool notify_offline_users = false;
    std::string new_mail_notice;        // blank = the built-in text (USER-56)
    std::string forward_notice;
    std::string tls_cert_file;          // ours: PEM certificate ("" = generated)
    std::string tls_key_file;           // ours: PEM private key
    uint32_t delivery_threads = 4;      // ours: destinations SendMail delivers to at once (1..100)
    bool relay_tls_verify = true;       // ours (SEC-6): the relay's certificate is checked
    bool relay_auth_without_tls = false;  // ours (SEC-6): relay credentials may go out in clear
    MailAuthSettings auth;              // ours (issue #16): SPF/DMARC policy keys
    uint16_t metrics_port = 0;          // ours (issue #17): Prometheus GET /metrics port, 0 = off
    std::string metrics_interface = "127.0.0.1";   // ours: the address it listens on
    uint32_t options = mail_opt::ALLOW_POP3;

    bool has(uint32_t flag) const { return (options & flag) != 0; }
};

struct LevelLimits {                     // main.ini [level:N], CFG-106
    uint32_t email_per_day = 0;
    uint32_t posts_per_day = 0;
};

struct SystemSettings {                  // main.ini root, CFG-97..CFG-104
    std::string name;
    std::string qwk_id;
    std::string operator_name;
    uint32_t settings = 0;
    uint32_t login = 0;
    uint32_t cache_filter_files_s = 5;
    std::vector<std::string> node_dirs; // absolute, '/'-terminated
    std::map<int, LevelLimits> levels;  // only levels with a section

    static constexpr uint32_t SYS_ECHO_PW = 0x1000;
    static constexpr uint32_t SYS_FWDTONET = 0x4000000;
    static constexpr uint32_t SYS_DELREADM = 0x8000000;
    static constexpr uint32_t LOGIN_USERNUM = 0x1;
    static constexpr uint32_t LOGIN_REALNAME = 0x2;
    LevelLimits level(int n) const;      // defaults when no section (CFG-106)
};

struct SubBoard {                        // msgs.ini [sub:GROUP:SUFFIX], CFG-114..116
    std::string code;                    // lower case, with group prefix
    std::string name;
    std::string description;
    std::string data_dir;                // absolute, '/'-terminated
    std::string ars;
    std::string post_ars;
    uint32_t settings = 0;
    uint32_t ptridx = 0;
    uint32_t max_msgs = 0;
    uint32_t max_crcs = 0;
    uint32_t max_age = 0;
    std::string base_path() const { return data_dir + code; } // without extension
};

struct QwkHub {                          // CFG-118
    std::string id;
    bool enabled = false;
};

struct QwkHubSub {                       // [qhubsub:ID:CONF], CFG-118
    std::string hub_id;
    uint16_t conf = 0;
    std::string sub_code;                // as written (match ignoring case)
    uint32_t mode = 0;
};

struct MsgsSettings {                    // msgs.ini, CFG-110..CFG-119
    uint32_t settings = 0xFFFF0000;
    uint32_t smb_retry_time_s = 30;
    uint32_t mail_max_crcs = 0;
    uint32_t mail_max_age = 0;
    uint32_t mail_max_spam_age = 0;
    std::vector<SubBoard> subs;
    std::vector<std::string> fido_addresses;  // "zone:net/node[.point]"
    std::string fido_netmail_sem;
    std::vector<QwkHub> qwk_hubs;
    std::vector<QwkHubSub> qwk_hub_subs; // known sub-boards only, in file order
    std::string inet_addr;               // [Internet] addr
    std::string smtp_sem;                // [Internet] smtp_sem

    static constexpr uint32_t MM_REALNAME = 0x10000;
    const SubBoard* find_sub(const std::string& code) const; // ignoring case
};

// One immutable configuration snapshot.
struct Config {
    InstallPaths paths;
    MailSettings mail;
    SystemSettings sys;
    MsgsSettings msgs;
    std::string mail_base() const { return paths.data + "mail"; } // SMB prefix
};

using ConfigPtr = std::shared_ptr<const Config>;

} // namespace sbbs
