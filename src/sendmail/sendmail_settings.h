// What SendMail needs from the configuration snapshot, after SEND-2/SEND-4
// normalisation, plus the few knobs tests need (ports, loop-back MX).
#pragma once

#include "config/settings.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sbbs {

struct SendMailSettings {
    uint32_t options = 0;               // [Mail] Options
    std::string helo_host;              // HostName, else sys_inetaddr (SEND-47)
    std::string inet_addr;              // sys_inetaddr
    std::vector<std::string> local_domains;  // sys_inetaddr, HostName, domains.cfg
    std::string relay_server;
    uint16_t relay_port = 25;
    std::string relay_username, relay_password;
    // Ours (SEC-6): STARTTLS to the relay checks its certificate against the
    // system CA store and the RelayServer name ([Mail] RelayTLSVerify), and
    // AUTH is never sent to it over plain text ([Mail] RelayAuthWithoutTLS).
    bool relay_tls_verify = true;
    bool relay_auth_without_tls = false;
    std::string relay_tls_ca_file;      // tests only: a CA file instead of the system store
    std::string outbound_interface;
    bool dkim_sign = false;             // DKIMSign
    std::string dkim_domain, dkim_selector = "mail";
    std::string dns_server;             // DNSServer ("" = the system's)
    uint16_t dns_port = 53;             // tests only
    uint16_t smtp_port = 25;            // loop-back delivery (SEND-27)
    uint16_t mx_port = 25;              // SEND-30 (tests use another)
    bool allow_loopback_hosts = false;  // SEND-41, SEC-10: MX and explicit routes to this host (tests only)
    unsigned connect_timeout_s = 30;
    unsigned max_inactivity_s = 120;
    unsigned max_delivery_attempts = 50;
    unsigned rescan_frequency_s = 3600;
    unsigned sem_check_frequency_s = 2;
    unsigned max_backoff_scans = 16;    // retry back-off cap, in rescans
    // Ours (SEND-98): in-transit mail not claimed by this process is taken
    // over once it has stayed so for this many periodic rescans (0 = never).
    unsigned stale_intransit_scans = 2;
    // Ours (issue item 6): at most this many sessions are open at once
    // ([Mail] DeliveryThreads, which the original ignores; default 4, at most
    // 100, Postfix's default_process_limit): one slow destination no longer
    // holds up the others. 1 = one destination at a time, as the original.
    unsigned delivery_workers = 4;
    // Ours (issue #14): at most this many of them to one destination
    // (Postfix's default_destination_concurrency_limit), so one domain
    // cannot take every worker.
    unsigned per_destination_workers = 20;
    // Ours (issue #14): a worker whose destination has nothing more for now
    // keeps its session open this long for the next claimed messages
    // (Postfix caches connections for 2 s as well).
    unsigned session_linger_ms = 2000;
    // Ours (SEND-23): recipients per transaction (RFC 5321 4.5.3.1.8 minimum).
    unsigned max_batch_rcpts = 100;
    // Messages claimed (marked in transit) per round of a scan.
    unsigned claim_round = 64;
    bool delete_read_mail = false;      // SYS_DELREADM (bounce KILLREAD)
    std::string ctrl_dir;               // '/'-terminated; dnsbl_exempt.cfg
    std::string data_dir;               // '/'-terminated; file/<nnnn>.out/ attachments
    std::string mail_base;              // data/mail (log lines)
    std::string mail_lock_path;         // data/mail.lock (SEND-21)

    bool has(uint32_t flag) const { return (options & flag) != 0; }
    unsigned relay_auth_methods() const;  // how many RELAY_AUTH_* are set
};

class Logger;
// From a Config snapshot, reading ctrl/domains.cfg; SEND-2 defaults and the
// SEND-4 RELAY_TX check (logged to `log` when given).
SendMailSettings sendmail_settings(const Config& cfg, Logger* log);

} // namespace sbbs
