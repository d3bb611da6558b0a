#include "config/install_paths.h"
#include "config/listeners.h"
#include "config/loader.h"
#include "config/value_parse.h"
#include "temp_install.h"

#include <catch.hpp>

#include <sstream>

using namespace sbbs;

namespace {

LoadOptions options_for(const test::TempInstall& inst) {
    LoadOptions o;
    o.ctrl_dir = inst.ctrl();
    o.host_name = "mailhost.example.org";
    o.include_base = inst.ctrl();
    return o;
}

ConfigPtr load_ok(const test::TempInstall& inst, Diagnostics& d) {
    auto r = load_config(options_for(inst), d);
    INFO((r ? std::string() : r.error().message));
    REQUIRE(r.ok());
    return *r;
}

bool has(const Diagnostics& d, const std::string& words, LogLevel level) {
    for (const auto& x : d)
        if (x.level == level && x.text().find(words) != std::string::npos) return true;
    return false;
}

// Sets [Mail] keys ("Key = value" lines) in the sample sbbs.ini, whose last
// section is [Mail]: existing lines for those keys are dropped first.
void set_mail_key(const test::TempInstall& inst, const std::string& lines) {
    std::string ini = inst.read("ctrl/sbbs.ini");
    std::istringstream add(lines);
    for (std::string line; std::getline(add, line);) {
        std::string key = line.substr(0, line.find_first_of(" ="));
        std::string out;
        std::istringstream in(ini);
        for (std::string l; std::getline(in, l);) {
            std::string t = l.substr(l.find_first_not_of(" \t") == std::string::npos ? 0 : l.find_first_not_of(" \t"));
            if (t.compare(0, key.size(), key) == 0 && t.find_first_of(" =", key.size()) == key.size()) continue;
            out += l + "\n";
        }
        ini = out + line + "\n";
    }
    inst.write("ctrl/sbbs.ini", ini);
}

} // namespace

TEST_CASE("CFG-1 ctrl dir: command line, else SBBSCTRL, else /sbbs/ctrl; always '/'-terminated", "[config]") {
    CHECK(locate_ctrl_dir("/a/ctrl", "/b/ctrl") == "/a/ctrl/");
    CHECK(locate_ctrl_dir("", "/b/ctrl/") == "/b/ctrl/");
    CHECK(locate_ctrl_dir("", "") == "/sbbs/ctrl/");
    test::TempInstall inst;
    LoadOptions o;
    o.env_sbbsctrl = inst.ctrl();
    Diagnostics d;
    auto r = load_config(o, d);
    REQUIRE(r.ok());
    CHECK((*r)->paths.ctrl == inst.ctrl());
}

TEST_CASE("CFG-2 sbbs.ini is read from the control directory", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->paths.sbbs_ini == inst.ctrl() + "sbbs.ini");
    CHECK(cfg->mail.smtp_port == 10025);
}

TEST_CASE("CFG-3 per-host INI name search order, ignoring file-name case", "[config]") {
    test::TempInstall inst(false);
    inst.write("c/sbbs.ini", "");
    CHECK(find_host_ini(inst.path("c"), "sbbs", "box.example.org") == inst.path("c/sbbs.ini"));
    inst.write("c/SBBS.Local.INI", "");
    CHECK(find_host_ini(inst.path("c"), "sbbs", "box.example.org") == inst.path("c/SBBS.Local.INI"));
    inst.write(std::string("c/sbbs.") + platform_name() + ".ini", "");
    CHECK(find_host_ini(inst.path("c"), "sbbs", "box.example.org") ==
          inst.path(std::string("c/sbbs.") + platform_name() + ".ini"));
    inst.write("c/sbbs.box.ini", "");
    CHECK(find_host_ini(inst.path("c"), "sbbs", "box.example.org") == inst.path("c/sbbs.box.ini"));
    inst.write("c/sbbs.box.example.org.ini", "");
    CHECK(find_host_ini(inst.path("c"), "sbbs", "box.example.org") == inst.path("c/sbbs.box.example.org.ini"));
    CHECK(find_host_ini(inst.path("c"), "mailproc", "box") == "");
}

TEST_CASE("CFG-4 [Global] CtrlDirectory replaces the control directory", "[config]") {
    test::TempInstall inst;
    inst.write("other/sbbs.ini", "[Global]\nCtrlDirectory = " + inst.ctrl() + "\n");
    LoadOptions o = options_for(inst);
    o.ctrl_dir = inst.path("other");
    Diagnostics d;
    auto r = load_config(o, d);
    REQUIRE(r.ok());
    CHECK((*r)->paths.ctrl == inst.ctrl());
    CHECK((*r)->msgs.inet_addr == "testbbs.example");
}

TEST_CASE("CFG-5 a missing sbbs.ini gives defaults and a warning naming the path", "[config]") {
    test::TempInstall inst;
    inst.remove("ctrl/sbbs.ini");
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->mail.smtp_port == 25);
    CHECK(cfg->mail.options == mail_opt::ALLOW_POP3);
    CHECK(has(d, inst.ctrl() + "sbbs.ini", LogLevel::Warning));
}

TEST_CASE("CFG-6 data/exec/mods/logs from [dir], text from node.ini, relative to ctrl", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->paths.data == inst.root() + "data/");
    CHECK(cfg->paths.exec == inst.root() + "exec/");
    CHECK(cfg->paths.mods == inst.root() + "mods/");
    CHECK(cfg->paths.logs == inst.root() + "data/");
    CHECK(cfg->paths.text == inst.root() + "text/");
    CHECK(cfg->mail_base() == inst.root() + "data/mail");
}

TEST_CASE("CFG-36 CFG-37 CFG-38 CFG-68 CFG-69 host name and temp dir inheritance and fallbacks", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->mail.host_name == "mail.testbbs.example");  // [Global] HostName
    CHECK(cfg->paths.temp == inst.root() + "temp/");
    std::string ini = inst.read("ctrl/sbbs.ini");
    ini.replace(ini.find("HostName = mail.testbbs.example"), 31, "HostName =");
    ini.replace(ini.find("TempDirectory = ../temp"), 23, "TempDirectory =");
    inst.write("ctrl/sbbs.ini", ini);
    Diagnostics d2;
    auto cfg2 = load_ok(inst, d2);
    CHECK(cfg2->mail.host_name == "testbbs.example");       // [Internet] addr
    CHECK(cfg2->paths.temp == inst.root() + "temp/");        // ../temp
    set_mail_key(inst, "TempDirectory = /var/tmp/sbbs\nHostName = mx.example");
    Diagnostics d3;
    auto cfg3 = load_ok(inst, d3);
    CHECK(cfg3->paths.temp == "/var/tmp/sbbs/");
    CHECK(cfg3->mail.host_name == "mx.example");
    REQUIRE(prepare_temp_dir(*cfg).ok());
    CHECK(std::filesystem::is_directory(inst.root() + "temp"));
}

TEST_CASE("CFG-39 CFG-40 CFG-41 CFG-42 CFG-43 CFG-44 CFG-45 CFG-50 CFG-51 CFG-80 [Global] values inherited by [Mail]", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    const MailSettings& m = cfg->mail;
    CHECK(m.interfaces == std::vector<std::string>{"127.0.0.1"});
    CHECK(m.pop3_interfaces == std::vector<std::string>{"127.0.0.1"});
    CHECK(m.sem_file_check_frequency_s == 2);
    CHECK(m.log_level == LogLevel::Debug);
    CHECK(m.tls_error_level == LogLevel::Warning);
    CHECK(m.bind_retry_count == 2);
    CHECK(m.bind_retry_delay_s == 1);
    CHECK(m.login_attempt.delay_ms == 0);
    CHECK(m.login_attempt.throttle_ms == 0);
    CHECK(m.login_attempt.tempban_duration_s == 600);
    CHECK(m.outbound_interface.empty());
    inst.write("ctrl/sbbs.ini", "[Global]\nLoginRequirements = LEVEL 10\nOutboundInterface = 10.1.2.3\n"
                                "OutboundV6Interface = 2001:db8::7\nLogLevel = Notice\nLoginAttemptHackThreshold = 4\n"
                                "[Mail]\nInterface = 127.0.0.1\nLoginAttemptHackThreshold = 6\n");
    Diagnostics d2;
    auto cfg2 = load_ok(inst, d2);
    CHECK(cfg2->mail.interfaces == std::vector<std::string>{"127.0.0.1"});
    CHECK(cfg2->mail.pop3_interfaces == std::vector<std::string>{"0.0.0.0", "::"});
    CHECK(cfg2->mail.login_requirements == "LEVEL 10");
    CHECK(cfg2->mail.outbound_interface == "10.1.2.3");
    CHECK(cfg2->mail.outbound_v6_interface == "2001:db8::7");
    CHECK(cfg2->mail.log_level == LogLevel::Notice);
    CHECK(cfg2->mail.login_attempt.hack_threshold == 6);
    CHECK(cfg2->mail.login_attempt.tempban_threshold == 20);
    CHECK(cfg2->mail.login_attempt.delay_ms == 5000);
}

TEST_CASE("CFG-48 unknown [Global]/[Mail] keys are Info diagnostics; known unused ones are silent", "[config]") {
    test::TempInstall inst;
    set_mail_key(inst, "DefaultCharset = UTF-8\nFrobnicate = 1");
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(has(d, "Frobnicate", LogLevel::Info));
    CHECK_FALSE(has(d, "DefaultCharset", LogLevel::Info));
}

TEST_CASE("CFG-47 CFG-79 Windows sound keys are accepted without diagnostics", "[config]") {
    test::TempInstall inst;
    set_mail_key(inst, "AnswerSound = a.wav\nPOP3Sound = p.wav\nInboundSound = i.wav\nOutboundSound = o.wav");
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(d.empty());
}

TEST_CASE("CFG-90 CFG-91 CFG-92 CFG-93 CFG-94 every Options flag name has its fixed bit", "[config]") {
    using namespace mail_opt;
    const std::pair<const char*, uint32_t> expected[] = {
        {"DEBUG_RX_HEADER", 0x1}, {"DEBUG_RX_BODY", 0x2}, {"ALLOW_POP3", 0x4}, {"DEBUG_TX", 0x8},
        {"DEBUG_RX_RSP", 0x10}, {"RELAY_TX", 0x20}, {"DEBUG_POP3", 0x40}, {"NO_READ_POP3", 0x80},
        {"NO_NOTIFY", 0x100}, {"ALLOW_SYSOP_ALIASES", 0x200}, {"USE_SUBMISSION_PORT", 0x400},
        {"NO_HOST_LOOKUP", 0x800}, {"USE_TCP_DNS", 0x1000}, {"NO_SENDMAIL", 0x2000}, {"ALLOW_RELAY", 0x4000},
        {"DNSBL_REFUSE", 0x8000}, {"DNSBL_IGNORE", 0x10000}, {"DNSBL_BADUSER", 0x20000},
        {"DNSBL_CHKRECVHDRS", 0x40000}, {"DNSBL_THROTTLE", 0x80000}, {"DNSBL_SPAMHASH", 0x100000},
        {"SMTP_AUTH_VIA_IP", 0x200000}, {"SEND_INTRANSIT", 0x400000}, {"RELAY_AUTH_PLAIN", 0x800000},
        {"RELAY_AUTH_LOGIN", 0x1000000}, {"RELAY_AUTH_CRAM_MD5", 0x2000000}, {"NO_AUTO_EXEMPT", 0x4000000},
        {"NO_RECYCLE", 0x8000000}, {"KILL_READ_SPAM", 0x10000000}, {"TLS_SUBMISSION", 0x20000000},
        {"TLS_POP3", 0x40000000}};
    for (const auto& [name, bit] : expected) {
        test::TempInstall inst;
        inst.write("ctrl/sbbs.ini", std::string("[Mail]\nRelayServer = r\nOptions = ") + name + "\n");
        Diagnostics d;
        INFO(name);
        CHECK(load_ok(inst, d)->mail.options == bit);
        CHECK(d.empty());
    }
    CHECK(mail_option_known_bits() == 0x7FFFFFFFu);
}

TEST_CASE("CFG-50 CFG-51 CFG-53 CFG-54 CFG-55 CFG-56 listeners follow Interface lists and option flags", "[config]") {
    MailSettings m;
    m.interfaces = {"127.0.0.1", "::1"};
    m.pop3_interfaces = {"127.0.0.2"};
    m.options = 0;
    CHECK(enabled_listeners(m).size() == 2);
    m.options = mail_opt::ALLOW_POP3 | mail_opt::USE_SUBMISSION_PORT | mail_opt::TLS_SUBMISSION | mail_opt::TLS_POP3;
    auto all = enabled_listeners(m);
    REQUIRE(all.size() == 8);
    CHECK(all[6].kind == ListenerKind::Pop3);
    CHECK(all[6].address == "127.0.0.2");
    CHECK(all[7].port == 995);
    CHECK(all[2].kind == ListenerKind::Submission);
    CHECK(all[2].port == 587);
}

TEST_CASE("CFG-49 CFG-52 CFG-53 CFG-54 CFG-55 CFG-56 CFG-57 the sample's [Mail] ports and switches", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    const MailSettings& m = cfg->mail;
    CHECK(m.auto_start);
    CHECK(m.smtp_port == 10025);
    CHECK(m.submission_port == 10587);
    CHECK(m.tls_submission_port == 10465);
    CHECK(m.pop3_port == 10110);
    CHECK(m.tls_pop3_port == 10995);
    CHECK(m.relay_port == 10026);
    CHECK(m.relay_server == "127.0.0.1");
}

TEST_CASE("CFG-52 CFG-59 CFG-60 CFG-61 CFG-62 zero means default", "[config]") {
    test::TempInstall inst;
    inst.write("ctrl/sbbs.ini", "[Global]\nSemFileCheckFrequency = 0\n[Mail]\nSMTPPort = 0\nSubmissionPort=0\n"
                                "TLSSubmissionPort=0\nPOP3Port=0\nTLSPOP3Port=0\nRelayPort=0\nMaxInactivity=0\n"
                                "MaxDeliveryAttempts=0\nRescanFrequency=0\n");
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    const MailSettings& m = cfg->mail;
    CHECK(m.smtp_port == 25);
    CHECK(m.submission_port == 587);
    CHECK(m.tls_submission_port == 465);
    CHECK(m.pop3_port == 110);
    CHECK(m.tls_pop3_port == 995);
    CHECK(m.relay_port == 25);
    CHECK(m.max_inactivity_s == 120);
    CHECK(m.max_delivery_attempts == 50);
    CHECK(m.rescan_frequency_s == 3600);
    CHECK(m.sem_file_check_frequency_s == 2);
}

TEST_CASE("CFG-58 CFG-63 CFG-64 CFG-65 CFG-66 CFG-67 limits from the sample and MaxClients 0", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    const MailSettings& m = cfg->mail;
    CHECK(m.max_clients == 20);
    CHECK(m.max_inactivity_s == 30);
    CHECK(m.lines_per_yield == 10);
    CHECK(m.max_delivery_attempts == 3);
    CHECK(m.max_recipients == 10);
    CHECK(m.max_msg_size == 1048576);
    CHECK(m.max_msgs_waiting == 5);
    CHECK(m.rescan_frequency_s == 60);
    CHECK(m.connect_timeout_s == 5);
    set_mail_key(inst, "MaxClients = 0\nMaxRecipients = 0\nMaxMsgSize = 0\nLinesPerYield = 0\nConnectTimeout = 0");
    Diagnostics d2;
    auto cfg2 = load_ok(inst, d2);
    CHECK(cfg2->mail.max_clients == 10);  // one node, but at least 10
    CHECK(cfg2->mail.max_recipients == 0);
    CHECK(cfg2->mail.max_msg_size == 0);
    CHECK(cfg2->mail.lines_per_yield == 0);
    CHECK(cfg2->mail.connect_timeout_s == 0);
}

TEST_CASE("SEC-8 MaxTelegramSize (ours): 4K by default, byte units, out of range warned and 4K", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    CHECK(load_ok(inst, d)->mail.max_telegram_size == 4096);
    CHECK_FALSE(has(d, "MaxTelegramSize", LogLevel::Info));      // a known key, not "unknown key"
    set_mail_key(inst, "MaxTelegramSize = 2K");
    Diagnostics d2;
    CHECK(load_ok(inst, d2)->mail.max_telegram_size == 2048);
    CHECK_FALSE(has(d2, "MaxTelegramSize", LogLevel::Info));
    for (const char* bad : {"MaxTelegramSize = 0", "MaxTelegramSize = 1M"}) {
        set_mail_key(inst, bad);
        Diagnostics d3;
        CHECK(load_ok(inst, d3)->mail.max_telegram_size == 4096);
        CHECK(has(d3, "sbbs.ini", LogLevel::Warning));
        CHECK(has(d3, "MaxTelegramSize: value", LogLevel::Warning));
    }
}

TEST_CASE("CFG-165 MailProcessorTimeout (ours): 60 s by default, durations, out of range warned and 60", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    CHECK(load_ok(inst, d)->mail.mail_processor_timeout_s == 60);
    set_mail_key(inst, "MailProcessorTimeout = 5");
    Diagnostics d2;
    CHECK(load_ok(inst, d2)->mail.mail_processor_timeout_s == 5);
    CHECK_FALSE(has(d2, "MailProcessorTimeout", LogLevel::Info));    // a known key, not "unknown key"
    for (const char* bad : {"MailProcessorTimeout = 0", "MailProcessorTimeout = 2h"}) {
        set_mail_key(inst, bad);
        Diagnostics d3;
        CHECK(load_ok(inst, d3)->mail.mail_processor_timeout_s == 60);
        CHECK(has(d3, "MailProcessorTimeout: value", LogLevel::Warning));
    }
}

TEST_CASE("CFG-70 CFG-71 CFG-72 CFG-73 CFG-74 CFG-75 CFG-76 CFG-77 CFG-78 [Mail] strings and defaults", "[config]") {
    test::TempInstall inst;
    inst.write("ctrl/sbbs.ini", "[Mail]\nOptions = RELAY_TX\nArchiveRequirements = LEVEL 90\n"
                                "RelayUsername = u\nRelayPassword : \"p w\"\nDKIMSign = yes\nDKIMDomain = d.example\n"
                                "DNSServer = 10.0.0.53\nDefaultUser = sysop\nPostTo = All\n"
                                "DNSBlacklistHeader =\nDKIMSelector =\n");
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    const MailSettings& m = cfg->mail;
    CHECK_FALSE(m.has(mail_opt::RELAY_TX));  // RELAY_TX without RelayServer is turned off
    CHECK(has(d, "RelayServer", LogLevel::Warning));
    CHECK(m.archive_requirements == "LEVEL 90");
    CHECK(m.relay_username == "u");
    CHECK(m.relay_password == "p w");
    CHECK(m.dkim_sign);
    CHECK(m.dkim_domain == "d.example");
    CHECK(m.dkim_selector == "mail");
    CHECK(m.dns_server == "10.0.0.53");
    CHECK(m.default_user == "sysop");
    CHECK(m.post_to == "All");
    CHECK(m.dnsbl_header == "X-DNSBL");
    CHECK(m.dnsbl_subject == "SPAM");
    CHECK(m.login_requirements.empty());
}

TEST_CASE("CFG-81 CFG-96 Options: missing = ALLOW_POP3, blank = 0, sample flags", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    using namespace mail_opt;
    CHECK(cfg->mail.options == (ALLOW_POP3 | USE_SUBMISSION_PORT | NO_HOST_LOOKUP | RELAY_TX | ALLOW_RELAY | NO_RECYCLE));
    inst.write("ctrl/sbbs.ini", "[Mail]\nOptions =\n");
    Diagnostics d2;
    CHECK(load_ok(inst, d2)->mail.options == 0);
}

TEST_CASE("CFG-82 CFG-83 CFG-84 CFG-85 CFG-86 CFG-87 CFG-88 remaining [Mail] keys", "[config]") {
    test::TempInstall inst;
    inst.write("ctrl/sbbs.ini", "[Global]\nBindRetryCount = 7\nOutboundInterface = 10.0.0.1\n"
                                "[Mail]\nBindRetryDelay = 3\nMaxConcurrentConnections = 4\nMaxRequestsPerPeriod = 9\n"
                                "RequestRateLimitPeriod = 60\nRateLimitFilterSubnetThreshold = 0\n"
                                "RateLimitSubnetPrefix6 = 48\nSpamBlockDuration = 1h\nNotifyOfflineUsers = true\n");
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    const MailSettings& m = cfg->mail;
    CHECK(m.bind_retry_count == 7);
    CHECK(m.bind_retry_delay_s == 3);
    CHECK(m.outbound_interface == "10.0.0.1");
    CHECK(m.max_concurrent_connections == 4);
    CHECK(m.max_requests_per_period == 9);
    CHECK(m.request_rate_limit_period_s == 60);
    CHECK(m.rate_limit.filter_subnet_threshold == 1);
    CHECK(m.rate_limit.subnet_prefix6 == 48);
    CHECK(m.spam_block_duration_s == 3600);
    CHECK(m.notify_offline_users);
}

TEST_CASE("CFG-95 numeric Options bits with no meaning are diagnosed", "[config]") {
    test::TempInstall inst;
    inst.write("ctrl/sbbs.ini", "[Mail]\nOptions = ALLOW_POP3 | 0x80000000\n");
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->mail.options == (mail_opt::ALLOW_POP3 | 0x80000000u));
    CHECK(has(d, "sbbs.ini:2: Options", LogLevel::Warning));
}

TEST_CASE("ours: TLSCertFile and TLSKeyFile are read relative to ctrl", "[config]") {
    test::TempInstall inst;
    set_mail_key(inst, "TLSCertFile = tls/cert.pem\nTLSKeyFile = /etc/key.pem");
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->mail.tls_cert_file == inst.ctrl() + "tls/cert.pem");
    CHECK(cfg->mail.tls_key_file == "/etc/key.pem");
}

TEST_CASE("ISSUE14-5 ours: DeliveryThreads sets SendMail's concurrent sessions; 0 is the default, at most 100", "[config]") {
    for (auto [text, want] : {std::pair{"", 4u}, {"DeliveryThreads = 1", 1u}, {"DeliveryThreads = 0", 4u},
                              {"DeliveryThreads = 9", 9u}, {"DeliveryThreads = 100", 100u}, {"DeliveryThreads = 500", 100u}}) {
        test::TempInstall inst;
        if (*text) set_mail_key(inst, text);
        Diagnostics d;
        auto cfg = load_ok(inst, d);
        CHECK(cfg->mail.delivery_threads == want);
        CHECK_FALSE(has(d, "DeliveryThreads", LogLevel::Info));   // a known key, not reported
    }
}

TEST_CASE("SEC-6 ours: RelayTLSVerify (default true) and RelayAuthWithoutTLS (default false) are read and checked",
          "[config]") {
    struct Case { const char* text; bool verify, in_clear; };
    for (auto c : {Case{"", true, false}, Case{"RelayTLSVerify = false", false, false},
                   Case{"RelayAuthWithoutTLS = yes", true, true},
                   Case{"RelayTLSVerify = no\nRelayAuthWithoutTLS = true", false, true}}) {
        INFO(c.text);
        test::TempInstall inst;
        if (*c.text) set_mail_key(inst, c.text);
        Diagnostics d;
        auto cfg = load_ok(inst, d);
        CHECK(cfg->mail.relay_tls_verify == c.verify);
        CHECK(cfg->mail.relay_auth_without_tls == c.in_clear);
        CHECK_FALSE(has(d, "RelayTLSVerify", LogLevel::Info));        // known keys, not reported
        CHECK_FALSE(has(d, "RelayAuthWithoutTLS", LogLevel::Info));
    }
    test::TempInstall inst;
    set_mail_key(inst, "RelayAuthWithoutTLS = perhaps");
    Diagnostics d;
    load_ok(inst, d);
    CHECK(has(d, "RelayAuthWithoutTLS", LogLevel::Warning));   // --check names a value that is no boolean
}

TEST_CASE("ISSUE17-2 ISSUE17-5 RunAsUser and LogJSON (ours): empty by default, read as given, known keys", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->mail.run_as_user.empty());
    CHECK(cfg->mail.log_json.empty());
    set_mail_key(inst, "RunAsUser = sbbs\nLogJSON = mail.jsonl");
    Diagnostics d2;
    auto cfg2 = load_ok(inst, d2);
    CHECK(cfg2->mail.run_as_user == "sbbs");
    CHECK(cfg2->mail.log_json == "mail.jsonl");
    CHECK_FALSE(has(d2, "RunAsUser", LogLevel::Info));   // a known key, not "unknown key"
    CHECK_FALSE(has(d2, "LogJSON", LogLevel::Info));
}
