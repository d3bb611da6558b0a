// Server-side TLS with OpenSSL: a context built from a PEM certificate and
// key (TLS 1.2+, no compression, forward-secret AEAD ciphers first), and
// generation of a self-signed pair for installs that configure none.
#pragma once

#include "util/result.h"

#include <memory>
#include <string>

typedef struct ssl_ctx_st SSL_CTX;

namespace sbbs {

class TlsContext {
public:
    // Loads `cert_file` (PEM, may hold a chain) and `key_file` (PEM).
    static Result<std::shared_ptr<TlsContext>> from_pem(const std::string& cert_file,
                                                        const std::string& key_file);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    SSL_CTX* native() const { return ctx_; }

private:
    explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
    SSL_CTX* ctx_;
};

// Days a generated certificate is valid: the CA/Browser Forum's 398-day
// ceiling less a day, so a TLS grader (testssl.sh) sees no over-long life.
constexpr int kSelfSignedDays = 397;

// The subject O of every certificate generate_self_signed makes: what marks
// it as ours to renew (a sysop's own certificate never carries it).
constexpr const char* kGeneratedMark = "sbbsmail generated";

// Writes a new self-signed certificate for `host_name` (RSA 2048, SHA-256,
// valid `days`, subject O = kGeneratedMark) and its key (mode 0600) as PEM
// files, each written and fsynced under a temporary name, then renamed.
Status generate_self_signed(const std::string& cert_file, const std::string& key_file,
                           const std::string& host_name, int days = kSelfSignedDays);

// What the server needs to know about the first certificate of a PEM file
// to decide whether a generated one is due for renewal.
struct CertificateFacts {
    long days_left = 0;        // whole days until it expires; negative once it has
    bool self_signed = false;  // issuer == subject and its own key verifies it
    bool generated = false;    // self-signed and made by generate_self_signed (now or by an earlier release)
};
Result<CertificateFacts> read_certificate_facts(const std::string& cert_file);

// The last OpenSSL error as text (and clears the queue).
std::string tls_error_text();

} // namespace sbbs
