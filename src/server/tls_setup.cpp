// TLS material selection and first-start generation.
#include "server/tls_setup.h"

#include <filesystem>

namespace sbbs {

namespace {

std::string in_ctrl(const Config& config, const std::string& path) {
    if (path.empty() || path.front() == '/') return path;
    return config.paths.ctrl + path;
}

bool exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

// A generated pair is renewed this long before it expires, so a server that
// is restarted or reloaded (SIGHUP) now and then never serves a lapsed one.
constexpr long kRenewDays = 30;

// Why the default pair must be made now ("" = keep it). Only a certificate
// we generated (read_certificate_facts: marked, or an earlier release's
// shape) is ever replaced: a sysop's own at the default path stays, even
// self-signed, and so does one that cannot be read: we cannot tell whose
// it is (our writes are atomic, so we never leave one truncated) and the
// load names the file; deleting it has a new pair made.
std::string default_pair_action(const TlsFiles& files) {
    if (!(exists(files.cert) && exists(files.key))) return "generated a self-signed certificate";
    auto facts = read_certificate_facts(files.cert);
    if (!facts || !facts->generated) return "";
    if (facts->days_left < kRenewDays)
        return "renewed the self-signed certificate (" + std::to_string(facts->days_left) + " days left)";
    if (facts->days_left > kSelfSignedDays)   // made by an older release with a 10-year life
        return "renewed the self-signed certificate (" + std::to_string(facts->days_left) + " days left, too long)";
    // A new key beside the old certificate: a generation cut between its
    // two renames.
    if (auto loaded = TlsContext::from_pem(files.cert, files.key); !loaded)
        return "made again the self-signed certificate whose pair did not load (" + loaded.error().message + ")";
    return "";
}

} // namespace

TlsFiles tls_files(const Config& config) {
    const auto& mail = config.mail;
    if (!mail.tls_cert_file.empty()) {
        std::string key = mail.tls_key_file.empty() ? mail.tls_cert_file : mail.tls_key_file;
        return TlsFiles{in_ctrl(config, mail.tls_cert_file), in_ctrl(config, key), true};
    }
    return TlsFiles{config.paths.ctrl + "tls-cert.pem", config.paths.ctrl + "tls-key.pem", false};
}

Result<std::shared_ptr<TlsContext>> prepare_tls(const Config& config, Logger& log) {
    TlsFiles files = tls_files(config);
    std::string action = files.configured ? "" : default_pair_action(files);
    if (!action.empty()) {
        auto made = generate_self_signed(files.cert, files.key, config.mail.host_name);
        if (!made) return made.error();
        log.log(LogLevel::Notice, "TLS: " + action + " " + files.cert + " (key " +
                                      files.key + "); configure TLSCertFile/TLSKeyFile to use your own");
    }
    auto ctx = TlsContext::from_pem(files.cert, files.key);
    if (ctx) log.log(LogLevel::Info, "TLS: certificate " + files.cert + ", key " + files.key);
    return ctx;
}

} // namespace sbbs
