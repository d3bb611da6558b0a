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
    if (!files.configured && !(exists(files.cert) && exists(files.key))) {
        auto made = generate_self_signed(files.cert, files.key, config.mail.host_name);
        if (!made) return made.error();
        log.log(LogLevel::Notice, "TLS: generated a self-signed certificate " + files.cert + " (key " +
                                      files.key + "); configure TLSCertFile/TLSKeyFile to use your own");
    }
    auto ctx = TlsContext::from_pem(files.cert, files.key);
    if (ctx) log.log(LogLevel::Info, "TLS: certificate " + files.cert + ", key " + files.key);
    return ctx;
}

} // namespace sbbs
