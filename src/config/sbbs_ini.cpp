// ctrl/sbbs.ini [Global] and [Mail] reading (see sbbs_ini.h).
#include "config/sbbs_ini.h"

#include "config/ini_get.h"
#include "config/ip_address.h"
#include "util/strings.h"

#include <algorithm>
#include <cmath>

namespace sbbs {

namespace {

const IniSection* section_of(const IniFile* ini, std::string_view name) {
    return ini ? ini->section(name) : nullptr;
}

std::string with_slash(std::string s) {
    if (!s.empty() && s.back() != '/' && s.back() != '\\') s += '/';
    return s;
}

uint32_t seconds(double d) { return d <= 0 ? 0 : d >= 4294967295.0 ? 0xFFFFFFFFu : uint32_t(d); }

// CFG-26 (ours): durations stored in 16 bits by the original must fit.
uint16_t duration16(const IniGetter& g, std::string_view key, double def, Diagnostics& diags) {
    double v = g.get_duration(key, def);
    if (v < 0 || v > 65535) {
        const IniEntry* e = g.entry(key);
        diags.push_back({LogLevel::Error, e ? e->file : "", e ? e->line : 0,
                         std::string(key) + ": value " + std::to_string(long(v)) + " outside 0..65535"});
    }
    return uint16_t(long(v));
}

// A key of ours read as `v`: kept within [1, most], else warned about
// (`range` names the range and the fallback) and replaced by `def`.
uint32_t within(const IniGetter& g, Diagnostics& diags, const char* key, int64_t v, int64_t most, uint32_t def,
                const char* range) {
    if (v >= 1 && v <= most) return uint32_t(v);
    const IniEntry* e = g.entry(key);
    diags.push_back({LogLevel::Warning, e ? e->file : "", e ? e->line : 0,
                     std::string(key) + ": value " + std::to_string(v) + " outside " + range});
    return def;
}

// ours (SEC-8): a telegram is a few lines on a terminal, so SEND/SOML/SAML
// bodies are capped well below MaxMsgSize; out-of-range values fall back.
uint32_t max_telegram_size(const IniGetter& g, Diagnostics& diags) {
    return within(g, diags, "MaxTelegramSize", g.get_bytes("MaxTelegramSize", 4096), 65536, 4096, "1..64K, using 4K");
}

// ours: a native mail processor runs while the client waits, so it gets a
// time limit (seconds, 1..3600, default 60) after which it is killed.
uint32_t mail_processor_timeout(const IniGetter& g, Diagnostics& diags) {
    return within(g, diags, "MailProcessorTimeout", int64_t(g.get_duration("MailProcessorTimeout", 60)), 3600, 60,
                  "1..3600 seconds, using 60");
}

LoginAttemptSettings read_login_attempts(const IniGetter& g, const LoginAttemptSettings& def) {
    LoginAttemptSettings s;
    s.delay_ms = uint32_t(g.get_int("LoginAttemptDelay", def.delay_ms));
    s.throttle_ms = uint32_t(g.get_int("LoginAttemptThrottle", def.throttle_ms));
    s.hack_threshold = uint32_t(g.get_int("LoginAttemptHackThreshold", def.hack_threshold));
    s.tempban_threshold = uint32_t(g.get_int("LoginAttemptTempBanThreshold", def.tempban_threshold));
    s.tempban_duration_s = seconds(g.get_duration("LoginAttemptTempBanDuration", def.tempban_duration_s));
    s.filter_threshold = uint32_t(g.get_int("LoginAttemptFilterThreshold", def.filter_threshold));
    s.filter_duration_s = seconds(g.get_duration("LoginAttemptFilterDuration", def.filter_duration_s));
    return s;
}

// CFG-46/CFG-89: only JavaScript mail processors use these; read for diagnostics.
void check_javascript_keys(const IniGetter& g) {
    static const std::vector<FlagName> js_flags = {
        {"STRICT", 0x1}, {"WERROR", 0x2}, {"VAROBJFIX", 0x4}, {"COMPILE_N_GO", 0x10},
        {"RELIMIT", 0x200}, {"ANONFUNFIX", 0x400}, {"JIT", 0x800}, {"METHODJIT", 0x4000},
        {"PROFILING", 0x8000}, {"METHODJIT_ALWAYS", 0x10000}};
    (void)g.get_bytes("JavaScriptMaxBytes", 16 * 1024 * 1024);
    (void)g.get_int("JavaScriptTimeLimit", 864000);
    (void)g.get_int("JavaScriptGcInterval", 100);
    (void)g.get_int("JavaScriptYieldInterval", 10000);
    (void)g.get_bits("JavaScriptOptions", js_flags, 0, 0x10);
}

RateLimitSettings read_rate_limit(const IniGetter& g) {
    RateLimitSettings r;
    r.subnet_prefix4 = g.get_uint("RateLimitSubnetPrefix4", 0);
    r.subnet_prefix6 = g.get_uint("RateLimitSubnetPrefix6", 64);
    r.filter_threshold = g.get_uint("RateLimitFilterThreshold", 0);
    r.filter_duration_s = g.get_uint("RateLimitFilterDuration", 0);
    r.filter_silent = g.get_bool("RateLimitFilterSilent", false);
    r.filter_subnet_threshold = std::max<uint32_t>(1, g.get_uint("RateLimitFilterSubnetThreshold", 2));
    return r;
}

void read_limits(MailSettings& m, const IniGetter& g, Diagnostics& diags) {
    m.max_clients = g.get_u16("MaxClients", 100);
    m.max_inactivity_s = duration16(g, "MaxInactivity", 120, diags);
    m.max_delivery_attempts = g.get_u16("MaxDeliveryAttempts", 50);
    m.rescan_frequency_s = duration16(g, "RescanFrequency", 3600, diags);
    m.lines_per_yield = g.get_u16("LinesPerYield", 10);
    m.max_recipients = g.get_u16("MaxRecipients", 100);
    m.max_msg_size = uint32_t(g.get_bytes("MaxMsgSize", 20971520));  // the original keeps 32 bits
    m.max_telegram_size = max_telegram_size(g, diags);                  // ours
    m.mail_processor_timeout_s = mail_processor_timeout(g, diags);      // ours
    m.max_msgs_waiting = uint32_t(g.get_int("MaxMsgsWaiting", 100));
    m.connect_timeout_s = seconds(g.get_duration("ConnectTimeout", 30));
    m.max_concurrent_connections = g.get_uint("MaxConcurrentConnections", 0);
    m.max_requests_per_period = g.get_uint("MaxRequestsPerPeriod", 0);
    m.request_rate_limit_period_s = g.get_uint("RequestRateLimitPeriod", 3600);
    m.rate_limit = read_rate_limit(g);
    m.spam_block_duration_s = seconds(g.get_duration("SpamBlockDuration", 0));
}

void read_ports(MailSettings& m, const IniGetter& g) {
    m.smtp_port = g.get_u16("SMTPPort", 25);
    m.submission_port = g.get_u16("SubmissionPort", 587);
    m.tls_submission_port = g.get_u16("TLSSubmissionPort", 465);
    m.pop3_port = g.get_u16("POP3Port", 110);
    m.tls_pop3_port = g.get_u16("TLSPOP3Port", 995);
    m.relay_port = g.get_u16("RelayPort", 25);
}

// ours (issue #17): keys for running as a service.
void read_service_keys(MailSettings& m, const IniGetter& g) {
    m.log_json = g.get_string("LogJSON", "");
    m.run_as_user = g.get_string("RunAsUser", "");
}

void read_strings(MailSettings& m, const IniGetter& g, const GlobalSettings& global) {
    m.host_name = g.get_string("HostName", global.host_name);
    m.login_requirements = g.get_string("LoginRequirements", global.login_ars);
    m.archive_requirements = g.get_string("ArchiveRequirements", "");
    m.relay_server = g.get_string("RelayServer", "");
    m.relay_username = g.get_string("RelayUsername", "");
    m.relay_password = g.get_string("RelayPassword", "");
    m.dkim_sign = g.get_bool("DKIMSign", false);
    m.dkim_domain = g.get_string("DKIMDomain", "");
    m.dkim_selector = g.get_string("DKIMSelector", "mail");
    m.dns_server = g.get_string("DNSServer", "");
    m.default_user = g.get_string("DefaultUser", "");
    m.post_to = g.get_string("PostTo", "");
    m.dnsbl_header = g.get_string("DNSBlacklistHeader", "X-DNSBL");
    m.dnsbl_subject = g.get_string("DNSBlacklistSubject", "SPAM");
    m.tls_cert_file = g.get_string("TLSCertFile", "");  // ours
    m.tls_key_file = g.get_string("TLSKeyFile", "");    // ours
    m.delivery_threads = g.get_uint("DeliveryThreads", 0);   // ours; 0 = the default (apply_zero_defaults)
    m.relay_tls_verify = g.get_bool("RelayTLSVerify", true);               // ours (SEC-6)
    m.relay_auth_without_tls = g.get_bool("RelayAuthWithoutTLS", false);   // ours (SEC-6)
}

// ours (issue #17): metrics are read by anyone who can connect, so loopback
// unless the sysop names another address; one that is not an IP address is
// an error (--check fails, the server does not start).
void read_metrics(MailSettings& m, const IniGetter& g, Diagnostics& diags) {
    m.metrics_port = g.get_u16("MetricsPort", 0);
    m.metrics_interface = g.get_string("MetricsInterface", "127.0.0.1");
    if (parse_ipv4(m.metrics_interface) || parse_ipv6(m.metrics_interface)) return;
    const IniEntry* e = g.entry("MetricsInterface");
    diags.push_back({LogLevel::Error, e ? e->file : "", e ? e->line : 0,
                     "MetricsInterface: '" + m.metrics_interface + "' is not an IP address"});
    m.metrics_interface = "127.0.0.1";
}

// CFG-52..CFG-62: the values the original resets at start-up when 0.
void apply_zero_defaults(MailSettings& m) {
    if (m.relay_port == 0) m.relay_port = 25;
    if (m.delivery_threads == 0) m.delivery_threads = 4;
    m.delivery_threads = std::min<uint32_t>(m.delivery_threads, 100);   // ours: Postfix's default_process_limit
    if (m.submission_port == 0) m.submission_port = 587;
    if (m.tls_submission_port == 0) m.tls_submission_port = 465;
    if (m.smtp_port == 0) m.smtp_port = 25;
    if (m.pop3_port == 0) m.pop3_port = 110;
    if (m.tls_pop3_port == 0) m.tls_pop3_port = 995;
    if (m.rescan_frequency_s == 0) m.rescan_frequency_s = 3600;
    if (m.max_delivery_attempts == 0) m.max_delivery_attempts = 50;
    if (m.max_inactivity_s == 0) m.max_inactivity_s = 120;
    if (m.sem_file_check_frequency_s == 0) m.sem_file_check_frequency_s = 2;
}

} // namespace

GlobalSettings read_global_section(const IniFile* ini, Diagnostics& diags) {
    IniGetter g(section_of(ini, "Global"), diags);
    GlobalSettings s;
    s.ctrl_dir = with_slash(g.get_string("CtrlDirectory", ""));
    s.temp_dir = with_slash(g.get_string("TempDirectory", ""));
    s.host_name = g.get_string("HostName", "");
    s.login_ars = g.get_string("LoginRequirements", "");
    s.sem_file_check_frequency_s = uint16_t(long(g.get_duration("SemFileCheckFrequency", 2)));
    s.interfaces = g.get_list("Interface", {"0.0.0.0", "::"});
    s.outbound_interface = g.get_ipv4("OutboundInterface", "");
    s.outbound_v6_interface = g.get_ipv6("OutboundV6Interface", "");
    s.log_level = g.get_log_level("LogLevel", LogLevel::Debug);
    s.tls_error_level = g.get_log_level("TLSErrorLevel", LogLevel::Emergency);
    s.bind_retry_count = uint32_t(g.get_int("BindRetryCount", 2));
    s.bind_retry_delay_s = uint32_t(g.get_int("BindRetryDelay", 15));
    s.login_attempt = read_login_attempts(g, LoginAttemptSettings{});
    check_javascript_keys(g);
    return s;
}

MailSection read_mail_section(const IniFile* ini, const GlobalSettings& global, Diagnostics& diags) {
    IniGetter g(section_of(ini, "Mail"), diags);
    MailSection out;
    MailSettings& m = out.mail;
    m.auto_start = g.get_bool("AutoStart", true);
    m.interfaces = g.get_list("Interface", global.interfaces);
    m.pop3_interfaces = g.get_list("POP3Interface", global.interfaces);
    m.outbound_interface = g.get_ipv4("OutboundInterface", global.outbound_interface);
    m.outbound_v6_interface = g.get_ipv6("OutboundV6Interface", global.outbound_v6_interface);
    read_ports(m, g);
    read_limits(m, g, diags);
    m.sem_file_check_frequency_s = uint32_t(long(g.get_duration("SemFileCheckFrequency", global.sem_file_check_frequency_s)));
    read_strings(m, g, global);
    read_metrics(m, g, diags);
    out.temp_dir = g.get_string("TempDirectory", global.temp_dir);
    m.log_level = g.get_log_level("LogLevel", global.log_level);
    m.tls_error_level = g.get_log_level("TLSErrorLevel", global.tls_error_level);
    read_service_keys(m, g);   // ours (issue #17)
    m.options = g.get_bits("Options", mail_option_names(), mail_option_known_bits(), mail_opt::ALLOW_POP3);
    m.bind_retry_count = uint32_t(g.get_int("BindRetryCount", global.bind_retry_count));
    m.bind_retry_delay_s = uint32_t(g.get_int("BindRetryDelay", global.bind_retry_delay_s));
    m.login_attempt = read_login_attempts(g, global.login_attempt);
    m.notify_offline_users = g.get_bool("NotifyOfflineUsers", false);
    m.auth = read_mail_auth_keys(g, diags);                             // ours (issue #16)
    check_javascript_keys(g);
    apply_zero_defaults(m);
    if (m.has(mail_opt::RELAY_TX) && m.relay_server.empty()) {  // CFG-72
        const IniEntry* e = g.entry("Options");
        diags.push_back({LogLevel::Warning, e ? e->file : "", e ? e->line : 0,
                         "RELAY_TX is set but RelayServer is blank: RELAY_TX turned off"});
        m.options &= ~mail_opt::RELAY_TX;
    }
    return out;
}

void report_unknown_sbbs_keys(const IniFile& ini, Diagnostics& diags) {
    static const std::vector<std::string> common = {
        "TempDirectory", "HostName", "LoginRequirements", "SemFileCheckFrequency", "Interface",
        "OutboundInterface", "OutboundV6Interface", "LogLevel", "TLSErrorLevel", "BindRetryCount",
        "BindRetryDelay", "LoginAttemptDelay", "LoginAttemptThrottle", "LoginAttemptHackThreshold",
        "LoginAttemptTempBanThreshold", "LoginAttemptTempBanDuration", "LoginAttemptFilterThreshold",
        "LoginAttemptFilterDuration", "JavaScriptMaxBytes", "JavaScriptTimeLimit", "JavaScriptGcInterval",
        "JavaScriptYieldInterval", "JavaScriptLoadPath", "JavaScriptOptions", "AnswerSound", "HangupSound",
        "LoginSound", "LogoutSound", "HackAttemptSound", "DefaultCharset"};
    static const std::vector<std::string> global_only = {"CtrlDirectory", "EventLogLevel", "LoginInfoSave"};
    static const std::vector<std::string> mail_only = {
        "RunAsUser", "LogJSON",   // ours (issue #17 items 2, 5)
        "AutoStart", "POP3Interface", "SMTPPort", "SubmissionPort", "TLSSubmissionPort", "POP3Port",
        "TLSPOP3Port", "RelayPort", "MaxClients", "MaxInactivity", "MaxDeliveryAttempts", "RescanFrequency",
        "LinesPerYield", "MaxRecipients", "MaxMsgSize", "MaxMsgsWaiting", "ConnectTimeout",
        "ArchiveRequirements", "RelayServer", "RelayUsername", "RelayPassword", "DKIMSign", "DKIMDomain",
        "DKIMSelector", "DNSServer", "DefaultUser", "PostTo", "DNSBlacklistHeader", "DNSBlacklistSubject",
        "POP3Sound", "InboundSound", "OutboundSound", "Options", "MaxConcurrentConnections",
        "MaxRequestsPerPeriod", "RequestRateLimitPeriod", "RateLimitSubnetPrefix4", "RateLimitSubnetPrefix6",
        "RateLimitFilterThreshold", "RateLimitFilterDuration", "RateLimitFilterSilent",
        "RateLimitFilterSubnetThreshold", "SpamBlockDuration", "NotifyOfflineUsers", "TLSCertFile",
        "TLSKeyFile", "DeliveryThreads", "MaxTelegramSize", "RelayTLSVerify", "RelayAuthWithoutTLS",
        "MailProcessorTimeout", "MetricsPort", "MetricsInterface"};
    auto known = [](const std::string& key, const std::vector<std::string>& extra) {
        const auto* ours = &extra == &mail_only ? &mail_auth_key_names() : &common;   // issue #16 keys: [Mail] only
        for (const auto* list : {&common, &extra, ours})
            for (const std::string& k : *list)
                if (iequals(k, key)) return true;
        return false;
    };
    for (const auto& [name, extra] : {std::pair{"Global", &global_only}, std::pair{"Mail", &mail_only}}) {
        const IniSection* s = ini.section(name);
        if (!s) continue;
        for (const IniEntry& e : s->entries)
            if (!known(e.key, *extra))
                diags.push_back({LogLevel::Info, e.file, e.line, "unknown key " + e.key + " in [" + name + "] ignored"});
    }
}

} // namespace sbbs
