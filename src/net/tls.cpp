// OpenSSL server context and self-signed certificate generation.
#include "net/tls.h"

#include <cstdio>
#include <functional>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sbbs {

namespace {

// Mozilla "intermediate" TLS 1.2 suites without the DHE ones: those were
// never offered (no DH parameters are loaded), and finite-field DH costs the
// server far more per handshake than ECDHE. TLS 1.3 keeps OpenSSL's defaults.
constexpr const char* kCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct CtxFree { void operator()(SSL_CTX* p) const { SSL_CTX_free(p); } };
struct FileClose { void operator()(FILE* f) const { std::fclose(f); } };
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using FilePtr = std::unique_ptr<FILE, FileClose>;

Error tls_error(const std::string& what) {
    return make_error(what + ": " + tls_error_text(), ErrorCode::Io);
}

bool add_san(X509* cert, const std::string& host) {
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
    std::string value = "DNS:" + host;
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, value.c_str());
    if (!ext) return false;
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

X509Ptr make_certificate(EVP_PKEY* key, const std::string& host, int days) {
    X509Ptr cert(X509_new());
    if (!cert) return nullptr;
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;   // a positive serial number
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), long{days} * 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(kGeneratedMark), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (!add_san(cert.get(), host) || X509_sign(cert.get(), key, EVP_sha256()) == 0) return nullptr;
    return cert;
}

// Writes `path` whole and durable (flushed, fsynced, closed without error)
// or not at all: a failure removes the partial file.
Status write_synced(const std::string& path, mode_t mode, const std::function<bool(FILE*)>& write) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return make_error("cannot write " + path, ErrorCode::Io);
    ::fchmod(fd, mode);   // an existing file keeps its mode otherwise
    FILE* f = ::fdopen(fd, "w");
    if (!f) {
        ::close(fd);
        ::unlink(path.c_str());
        return make_error("cannot write " + path, ErrorCode::Io);
    }
    bool ok = write(f) && std::fflush(f) == 0 && ::fsync(fd) == 0;
    ok = std::fclose(f) == 0 && ok;
    if (ok) return {};
    ::unlink(path.c_str());
    return make_error("cannot write " + path, ErrorCode::Io);
}

// The generator's own certificate: marked, or the exact shape earlier
// releases wrote before the mark (subject a lone CN, valid from an hour
// before it was made for 397 or 3650 days). `openssl req -x509` starts
// validity at the moment it signs, so a sysop's own never matches.
bool made_by_us(X509* cert) {
    X509_NAME* subject = X509_get_subject_name(cert);
    int o = X509_NAME_get_index_by_NID(subject, NID_organizationName, -1);
    if (o >= 0) {
        ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, o));
        return value && std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                                    size_t(ASN1_STRING_length(value))) == kGeneratedMark;
    }
    if (X509_NAME_entry_count(subject) != 1 || X509_NAME_get_index_by_NID(subject, NID_commonName, -1) != 0)
        return false;
    int days = 0, seconds = 0;
    if (ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert)) != 1) return false;
    return seconds == 3600 && (days == 397 || days == 3650);
}

} // namespace

std::string tls_error_text() {
    unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "unknown TLS error";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

Result<std::shared_ptr<TlsContext>> TlsContext::from_pem(const std::string& cert_file,
                                                         const std::string& key_file) {
    std::unique_ptr<SSL_CTX, CtxFree> ctx(SSL_CTX_new(TLS_server_method()));
    if (!ctx) return tls_error("SSL_CTX_new");
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    SSL_CTX_set_options(ctx.get(), SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                       SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_set_cipher_list(ctx.get(), kCiphers) != 1) return tls_error("cipher list");
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), cert_file.c_str()) != 1)
        return tls_error(cert_file);
    if (SSL_CTX_use_PrivateKey_file(ctx.get(), key_file.c_str(), SSL_FILETYPE_PEM) != 1)
        return tls_error(key_file);
    if (SSL_CTX_check_private_key(ctx.get()) != 1)
        return tls_error(key_file + " does not match " + cert_file);
    return std::shared_ptr<TlsContext>(new TlsContext(ctx.release()));
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

Status generate_self_signed(const std::string& cert_file, const std::string& key_file,
                           const std::string& host_name, int days) {
    PkeyPtr key(EVP_RSA_gen(2048));
    if (!key) return tls_error("RSA key generation");
    X509Ptr cert = make_certificate(key.get(), host_name.empty() ? "localhost" : host_name, days);
    if (!cert) return tls_error("certificate generation");
    // Both written whole to temporary names first, then renamed into place:
    // a kill or a full disk never leaves a half-written file, and a new key
    // meets the old certificate only if the process dies between the two
    // renames, which the next start repairs (prepare_tls: a generated pair
    // that does not load is made again).
    std::string key_tmp = key_file + ".new", cert_tmp = cert_file + ".new";
    auto key_written = write_synced(key_tmp, 0600, [&](FILE* f) {
        return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    });
    if (!key_written) return key_written;
    auto cert_written = write_synced(cert_tmp, 0644, [&](FILE* f) { return PEM_write_X509(f, cert.get()) == 1; });
    if (!cert_written) {
        ::unlink(key_tmp.c_str());
        return cert_written;
    }
    if (std::rename(key_tmp.c_str(), key_file.c_str()) != 0) {
        ::unlink(key_tmp.c_str());
        ::unlink(cert_tmp.c_str());
        return make_error("cannot replace " + key_file, ErrorCode::Io);
    }
    if (std::rename(cert_tmp.c_str(), cert_file.c_str()) != 0) {
        ::unlink(cert_tmp.c_str());
        return make_error("cannot replace " + cert_file + " (its new key is in place: the next start makes both again)",
                          ErrorCode::Io);
    }
    return {};
}

Result<CertificateFacts> read_certificate_facts(const std::string& cert_file) {
    FilePtr f(std::fopen(cert_file.c_str(), "r"));
    if (!f) return make_error("cannot read " + cert_file, ErrorCode::NotFound);
    X509Ptr cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    if (!cert) return tls_error(cert_file);
    int days = 0, seconds = 0;
    if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert.get())) != 1)
        return tls_error(cert_file + ": expiry date");
    CertificateFacts facts;
    facts.days_left = days;
    EVP_PKEY* key = X509_get0_pubkey(cert.get());
    facts.self_signed = X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())) == 0 &&
                        key && X509_verify(cert.get(), key) == 1;
    facts.generated = facts.self_signed && made_by_us(cert.get());
    ERR_clear_error();   // a failed self-verification is an answer, not an error to report later
    return facts;
}

} // namespace sbbs
