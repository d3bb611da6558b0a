// Configuration loading from an install (see loader.h).
#include "config/loader.h"

#include "config/ini_file.h"
#include "config/install_paths.h"
#include "config/listeners.h"
#include "config/main_ini.h"
#include "config/msgs_ini.h"
#include "config/sbbs_ini.h"

#include <algorithm>
#include <filesystem>
#include <optional>

namespace sbbs {

namespace fs = std::filesystem;

namespace {

std::string absolute_dir(const std::string& dir) {
    std::error_code ec;
    fs::path p = fs::absolute(dir, ec);
    std::string s = (ec ? fs::path(dir) : p).lexically_normal().generic_string();
    if (s.empty() || s.back() != '/') s += '/';
    return s;
}

std::optional<IniFile> load_sbbs_ini(const LoadOptions& opt, InstallPaths& paths, const std::string& host,
                                     Diagnostics& diags) {
    paths.sbbs_ini = find_host_ini(paths.ctrl, "sbbs", host);
    if (paths.sbbs_ini.empty()) {  // CFG-5
        diags.push_back({LogLevel::Warning, paths.ctrl + "sbbs.ini", 0, "not found: every key takes its default"});
        return std::nullopt;
    }
    std::error_code ec;
    IniOptions io{true, opt.include_base.empty() ? fs::current_path(ec).string() : opt.include_base};
    auto ini = IniFile::load(paths.sbbs_ini, io, diags);
    if (!ini) {
        diags.push_back({LogLevel::Warning, paths.sbbs_ini, 0, "cannot be read: every key takes its default"});
        return std::nullopt;
    }
    return std::move(ini.value());
}

// main.ini and msgs.ini are required by us (CFG-168), unlike the original.
std::optional<IniFile> load_required(const std::string& path, Diagnostics& diags) {
    auto ini = IniFile::load(path, {}, diags);
    if (ini) return std::move(ini.value());
    diags.push_back({LogLevel::Error, path, 0,
                     ini.error().code == ErrorCode::NotFound ? "missing: the server cannot start"
                                                             : "cannot be read: the server cannot start"});
    return std::nullopt;
}

void finish_mail(Config& cfg, const std::string& temp_dir) {
    cfg.paths.temp = resolve_dir(cfg.paths.ctrl, temp_dir.empty() ? "../temp" : temp_dir);  // CFG-69
    if (cfg.mail.max_clients == 0)  // CFG-58
        cfg.mail.max_clients = std::max<uint32_t>(10, uint32_t(cfg.sys.node_dirs.size()));
    if (cfg.mail.host_name.empty()) cfg.mail.host_name = cfg.msgs.inet_addr;  // CFG-68
    if (!cfg.mail.tls_cert_file.empty()) cfg.mail.tls_cert_file = resolve_file(cfg.paths.ctrl, cfg.mail.tls_cert_file);
    if (!cfg.mail.tls_key_file.empty()) cfg.mail.tls_key_file = resolve_file(cfg.paths.ctrl, cfg.mail.tls_key_file);
}

} // namespace

Result<ConfigPtr> load_config(const LoadOptions& opt, Diagnostics& diags) {
    const size_t first_diag = diags.size();
    auto cfg = std::make_shared<Config>();
    InstallPaths& paths = cfg->paths;
    paths.ctrl = absolute_dir(locate_ctrl_dir(opt.ctrl_dir, opt.env_sbbsctrl));
    std::string host = opt.host_name.empty() ? local_host_name() : opt.host_name;

    std::optional<IniFile> sbbs_ini = load_sbbs_ini(opt, paths, host, diags);
    const IniFile* sbbs = sbbs_ini ? &*sbbs_ini : nullptr;
    GlobalSettings global = read_global_section(sbbs, diags);
    if (!global.ctrl_dir.empty()) paths.ctrl = absolute_dir(global.ctrl_dir);  // CFG-4
    MailSection mail = read_mail_section(sbbs, global, diags);
    cfg->mail = std::move(mail.mail);
    if (sbbs) {
        report_unknown_sbbs_keys(*sbbs, diags);
        const IniSection* ms = sbbs->section("Mail");
        check_duplicate_listeners(cfg->mail, paths.sbbs_ini, ms ? ms->line : 0, diags);
    }
    if (auto main_ini = load_required(paths.ctrl + "main.ini", diags)) {
        read_main_ini(*main_ini, cfg->sys, paths, diags);
        paths.text = read_text_dir(cfg->sys, paths.ctrl, diags);
    } else {
        paths.data = resolve_dir(paths.ctrl, "../data/");
    }
    if (auto msgs_ini = load_required(paths.ctrl + "msgs.ini", diags))
        cfg->msgs = read_msgs_ini(*msgs_ini, paths.ctrl, paths.data, diags);
    finish_mail(*cfg, mail.temp_dir);
    paths.mailproc_ini = find_host_ini(paths.ctrl, "mailproc", host);

    for (size_t i = first_diag; i < diags.size(); ++i)
        if (const Diagnostic& d = diags[i]; d.fatal()) return make_error("configuration error: " + d.text(), ErrorCode::Invalid);
    return ConfigPtr(std::move(cfg));
}

Status prepare_temp_dir(const Config& cfg) {
    std::error_code ec;
    fs::create_directories(cfg.paths.temp, ec);
    if (ec || !fs::is_directory(cfg.paths.temp, ec))
        return make_error(cfg.paths.temp + ": cannot create the temp directory", ErrorCode::Io);
    return Status::success();
}

} // namespace sbbs
