// The server's TLS material: the configured PEM pair (MailSettings
// tls_cert_file/tls_key_file, relative to ctrl/), or ctrl/tls-cert.pem and
// ctrl/tls-key.pem, generated self-signed on first start and renewed when
// a start or reload finds it near its end.
#pragma once

#include "config/settings.h"
#include "log/logger.h"
#include "net/tls.h"
#include "util/result.h"

#include <memory>
#include <string>

namespace sbbs {

struct TlsFiles {
    std::string cert;
    std::string key;
    bool configured = false;   // from the ini, not the generated default
};

TlsFiles tls_files(const Config& config);

// Loads the pair, generating the default one when it does not exist yet or
// is due for renewal.
Result<std::shared_ptr<TlsContext>> prepare_tls(const Config& config, Logger& log);

} // namespace sbbs
