// INTERIM loader (see interim_config.h). Value rules follow config.md
// CFG-22..CFG-31 closely enough for the runtime's keys.
#include "server/interim_config.h"

#include "server/interim_ini.h"
#include "util/strings.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace sbbs::interim {

namespace {

namespace fs = std::filesystem;

struct Flag { const char* name; uint32_t bit; };
constexpr Flag kFlags[] = {
    {"DEBUG_RX_HEADER", 1u << 0}, {"DEBUG_RX_BODY", 1u << 1}, {"ALLOW_POP3", 1u << 2},
    {"DEBUG_TX", 1u << 3}, {"DEBUG_RX_RSP", 1u << 4}, {"RELAY_TX", 1u << 5},
    {"DEBUG_POP3", 1u << 6}, {"NO_READ_POP3", 1u << 7}, {"NO_NOTIFY", 1u << 8},
    {"ALLOW_SYSOP_ALIASES", 1u << 9}, {"USE_SUBMISSION_PORT", 1u << 10}, {"NO_HOST_LOOKUP", 1u << 11},
    {"USE_TCP_DNS", 1u << 12}, {"NO_SENDMAIL", 1u << 13}, {"ALLOW_RELAY", 1u << 14},
    {"DNSBL_REFUSE", 1u << 15}, {"DNSBL_IGNORE", 1u << 16}, {"DNSBL_BADUSER", 1u << 17},
    {"DNSBL_CHKRECVHDRS", 1u << 18}, {"DNSBL_THROTTLE", 1u << 19}, {"DNSBL_SPAMHASH", 1u << 20},
    {"SMTP_AUTH_VIA_IP", 1u << 21}, {"SEND_INTRANSIT", 1u << 22}, {"RELAY_AUTH_PLAIN", 1u << 23},
    {"RELAY_AUTH_LOGIN", 1u << 24}, {"RELAY_AUTH_CRAM_MD5", 1u << 25}, {"NO_AUTO_EXEMPT", 1u << 26},
    {"NO_RECYCLE", 1u << 27}, {"KILL_READ_SPAM", 1u << 28}, {"TLS_SUBMISSION", 1u << 29},
    {"TLS_POP3", 1u << 30},
};

constexpr const char* kLevels[] = {"Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Info", "Debug"};

std::string dir_path(const std::string& base, const std::string& path) {
    fs::path p = path.empty() ? fs::path(base) : path.front() == '/' ? fs::path(path) : fs::path(base) / path;
    std::string out = p.lexically_normal().string();
    if (out.empty() || out.back() != '/') out += '/';
    return out;
}

class Reader {
public:
    Reader(const IniFile& ini, Diagnostics& diags) : ini_(ini), diags_(diags) {}

    // [Mail] first, then [Global] when `inherit`.
    std::optional<IniValue> value(const char* key, bool inherit) const {
        auto v = ini_.get("Mail", key);
        return v || !inherit ? v : ini_.get("Global", key);
    }
    void warn(const IniValue& v, const std::string& what, LogLevel level = LogLevel::Warning) {
        diags_.push_back(Diagnostic{level, ini_.path(), v.line, what});
    }
    void number(const char* key, uint32_t& out, bool inherit = false) {
        auto v = value(key, inherit);
        if (!v) return;
        char* end = nullptr;
        long long n = std::strtoll(v->text.c_str(), &end, 0);
        if (end == v->text.c_str() || !trim(end).empty() || n < 0 || n > 0xFFFFFFFFLL)
            return warn(*v, std::string(key) + ": '" + v->text + "' is not an unsigned number");
        out = static_cast<uint32_t>(n);
    }
    void port(const char* key, uint16_t& out) {
        uint32_t n = out;
        number(key, n);
        auto v = value(key, false);
        if (v && n > 65535) return warn(*v, std::string(key) + ": " + std::to_string(n) + " is not a port (1..65535)", LogLevel::Error);
        if (n != 0) out = static_cast<uint16_t>(n);   // 0 means the default (CFG-52..56)
    }
    void duration(const char* key, uint32_t& out, bool inherit = false) {
        auto v = value(key, inherit);
        if (!v) return;
        char* end = nullptr;
        double d = std::strtod(v->text.c_str(), &end);
        if (end == v->text.c_str() || d < 0)
            return warn(*v, std::string(key) + ": '" + v->text + "' is not a duration (e.g. 30s, 2m, 1h)");
        std::string_view unit = trim(end);
        char u = unit.empty() ? 's' : static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])));
        double mult = u == 'Y' ? 31536000 : u == 'W' ? 604800 : u == 'D' ? 86400 : u == 'H' ? 3600 : u == 'M' ? 60 : 1;
        out = static_cast<uint32_t>(d * mult);
    }
    void level(const char* key, LogLevel& out) {
        auto v = value(key, true);
        if (!v) return;
        std::string word = split(v->text, ' ').front();
        for (int i = 0; i < 8; ++i)
            if (istarts_with(kLevels[i], word) || istarts_with(word, kLevels[i])) {
                out = static_cast<LogLevel>(i);
                return;
            }
        if (all_digits(word)) out = static_cast<LogLevel>(std::min(7, std::atoi(word.c_str())));
        else warn(*v, std::string(key) + ": unknown log level '" + word + "'");
    }
    void list(const char* key, std::vector<std::string>& out, const char* global_key) {
        auto v = ini_.get("Mail", key);
        if (!v) v = ini_.get("Global", global_key);
        std::string text = v ? v->text : "0.0.0.0,::";
        out.clear();
        for (const auto& item : split(text, ','))
            if (!item.empty()) out.emplace_back(trim(item));
    }
    void options(uint32_t& out) {
        auto mail_keys = ini_.keys("Mail");
        for (const auto& [k, v] : mail_keys)
            if (k == "options") return parse_options(v, out);
    }
    void string(const char* key, std::string& out, bool inherit = false) {
        if (auto v = value(key, inherit)) out = v->text;
    }

private:
    void parse_options(const IniValue& v, uint32_t& out) {
        out = 0;   // CFG-81: present but blank is 0
        for (const auto& raw : split(v.text, '|')) {
            std::string item(trim(raw));
            if (item.empty()) continue;
            bool known = false;
            for (const auto& f : kFlags)
                if (iequals(item, f.name)) out |= f.bit, known = true;
            char* end = nullptr;
            unsigned long n = std::strtoul(item.c_str(), &end, 0);
            if (!known && end != item.c_str() && *end == 0) out |= static_cast<uint32_t>(n), known = true;
            if (!known) warn(v, "Options: unknown flag '" + item + "'");
        }
    }
    const IniFile& ini_;
    Diagnostics& diags_;
};

void read_mail(const IniFile& ini, MailSettings& m, Diagnostics& diags) {
    Reader r(ini, diags);
    r.list("Interface", m.interfaces, "Interface");
    r.list("POP3Interface", m.pop3_interfaces, "Interface");
    r.port("SMTPPort", m.smtp_port);
    r.port("SubmissionPort", m.submission_port);
    r.port("TLSSubmissionPort", m.tls_submission_port);
    r.port("POP3Port", m.pop3_port);
    r.port("TLSPOP3Port", m.tls_pop3_port);
    r.number("MaxClients", m.max_clients);
    r.duration("MaxInactivity", m.max_inactivity_s);
    if (m.max_inactivity_s == 0) m.max_inactivity_s = 120;
    r.number("BindRetryCount", m.bind_retry_count, true);
    r.number("BindRetryDelay", m.bind_retry_delay_s, true);
    r.duration("SemFileCheckFrequency", m.sem_file_check_frequency_s, true);
    r.level("LogLevel", m.log_level);
    r.level("TLSErrorLevel", m.tls_error_level);
    r.string("HostName", m.host_name, true);
    r.string("TLSCertFile", m.tls_cert_file);
    r.string("TLSKeyFile", m.tls_key_file);
    r.options(m.options);
}

void read_main(const std::string& ctrl, Config& c, Diagnostics& diags) {
    auto main = IniFile::read(ctrl + "main.ini");
    if (!main.ok()) {
        diags.push_back(Diagnostic{LogLevel::Error, ctrl + "main.ini", 0, "cannot read the file (required)"});
        return;
    }
    auto data = main.get("dir", "data");
    c.paths.data = dir_path(ctrl, data ? data->text : "../data/");
    auto logs = main.get("dir", "logs");
    c.paths.logs = logs ? dir_path(ctrl, logs->text) : c.paths.data;
    for (const auto& [k, v] : main.keys("node_dir")) c.sys.node_dirs.push_back(dir_path(ctrl, to_lower(v.text)));
    if (auto name = main.get("", "name")) c.sys.name = name->text;
    std::string text_dir = "../text/";
    if (!c.sys.node_dirs.empty()) {
        auto node = IniFile::read(c.sys.node_dirs.front() + "node.ini");
        if (auto t = node.get("", "text_dir")) text_dir = t->text;
    }
    c.paths.text = dir_path(ctrl, text_dir);
}

void read_msgs(const std::string& ctrl, Config& c, Diagnostics& diags) {
    auto msgs = IniFile::read(ctrl + "msgs.ini");
    if (!msgs.ok()) {
        diags.push_back(Diagnostic{LogLevel::Error, ctrl + "msgs.ini", 0, "cannot read the file (required)"});
        return;
    }
    if (auto addr = msgs.get("Internet", "addr")) c.msgs.inet_addr = addr->text;
}

} // namespace

Result<ConfigPtr> load_config(const std::string& ctrl_dir, Diagnostics& diags) {
    std::error_code ec;
    std::string ctrl = dir_path(fs::absolute(ctrl_dir, ec).string(), "");
    if (!fs::is_directory(ctrl, ec)) return make_error(ctrl + ": not a directory", ErrorCode::NotFound);
    auto c = std::make_shared<Config>();
    c->paths.ctrl = ctrl;
    auto ini = IniFile::read(ctrl + "sbbs.ini");
    if (ini.ok()) c->paths.sbbs_ini = ini.path();
    else diags.push_back(Diagnostic{LogLevel::Warning, ctrl + "sbbs.ini", 0, "not found; using default values"});
    read_mail(ini, c->mail, diags);
    read_main(ctrl, *c, diags);
    read_msgs(ctrl, *c, diags);
    if (c->mail.host_name.empty()) c->mail.host_name = c->msgs.inet_addr;
    std::string temp = "../temp";
    if (auto t = ini.get("Mail", "TempDirectory")) temp = t->text;
    else if (auto g = ini.get("Global", "TempDirectory")) temp = g->text;
    c->paths.temp = dir_path(ctrl, temp);
    for (const auto& d : diags)
        if (d.fatal()) return make_error(d.text(), ErrorCode::Invalid);
    return ConfigPtr(c);
}

} // namespace sbbs::interim
