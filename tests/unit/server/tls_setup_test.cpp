// TLS material: generated on first start under ctrl/, reused later, or configured.
#include "server/tls_setup.h"
#include "server_test_support.h"
#include "skip.h"

#include <catch.hpp>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace sbbs;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

TEST_CASE("SMTP-85 tls setup: without configured files a self-signed PEM pair is made in ctrl/ once and logged") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    auto first = prepare_tls(*cfg, log);
    REQUIRE(first.ok());
    CHECK(log.contains(dir.path() + "tls-cert.pem"));
    std::string cert = slurp(dir.path() + "tls-cert.pem");
    CHECK(cert.find("BEGIN CERTIFICATE") != std::string::npos);
    REQUIRE(prepare_tls(*cfg, log).ok());
    CHECK(slurp(dir.path() + "tls-cert.pem") == cert);   // not regenerated
}

TEST_CASE("tls setup: configured files are relative to ctrl/ and never generated") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    cfg->mail.tls_cert_file = "mine.pem";
    cfg->mail.tls_key_file = "mine.key";
    auto files = tls_files(*cfg);
    CHECK(files.cert == dir.path() + "mine.pem");
    CHECK(files.key == dir.path() + "mine.key");
    auto missing = prepare_tls(*cfg, log);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("mine.pem") != std::string::npos);
    REQUIRE(generate_self_signed(files.cert, files.key, "x.example").ok());
    CHECK(prepare_tls(*cfg, log).ok());
}

TEST_CASE("ISSUE13-7 SMTP-85 tls setup: a generated certificate lives at most 398 days (testssl.sh grades longer as HIGH)") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    REQUIRE(prepare_tls(*cfg, log).ok());
    auto facts = read_certificate_facts(dir.path() + "tls-cert.pem");
    REQUIRE(facts.ok());
    CHECK(facts->self_signed);
    CHECK(facts->days_left >= kSelfSignedDays - 1);
    CHECK(facts->days_left <= 398);
}

TEST_CASE("ISSUE13-7 tls setup: a generated pair near its end or with a 10-year life is renewed at start or reload") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    auto files = tls_files(*cfg);
    int days = GENERATE(5, 3650);
    REQUIRE(generate_self_signed(files.cert, files.key, "old.example", days).ok());
    std::string old_cert = slurp(files.cert);
    REQUIRE(prepare_tls(*cfg, log).ok());
    CHECK(slurp(files.cert) != old_cert);
    CHECK(log.contains("renewed the self-signed certificate"));
    auto facts = read_certificate_facts(files.cert);
    REQUIRE(facts.ok());
    CHECK(facts->days_left >= kSelfSignedDays - 1);
}

TEST_CASE("ISSUE13-7 tls setup: a configured pair is never renewed, however close to its end") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    cfg->mail.tls_cert_file = "mine.pem";
    cfg->mail.tls_key_file = "mine.key";
    auto files = tls_files(*cfg);
    REQUIRE(generate_self_signed(files.cert, files.key, "mine.example", 5).ok());
    std::string cert = slurp(files.cert);
    REQUIRE(prepare_tls(*cfg, log).ok());
    CHECK(slurp(files.cert) == cert);
}

TEST_CASE("ISSUE13-7 tls setup: a CA-signed certificate at the default path is the sysop's and never renewed") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    auto files = tls_files(*cfg);
    REQUIRE(generate_self_signed(dir.path() + "ca.pem", dir.path() + "ca.key", "ca.example").ok());
    // A leaf with 5 days left, signed by that CA: due for renewal were it ours.
    std::string sign = "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=leaf -keyout '" +
                       files.key + "' 2>/dev/null | openssl x509 -req -days 5 -CA '" + dir.path() + "ca.pem' -CAkey '" +
                       dir.path() + "ca.key' -out '" + files.cert + "' >/dev/null 2>&1";
    if (std::system(sign.c_str()) != 0) SBBS_SKIP("the openssl command cannot sign a test certificate");
    auto facts = read_certificate_facts(files.cert);
    REQUIRE(facts.ok());
    CHECK_FALSE(facts->self_signed);
    CHECK(facts->days_left < 6);
    std::string cert = slurp(files.cert);
    REQUIRE(prepare_tls(*cfg, log).ok());
    CHECK(slurp(files.cert) == cert);
    CHECK_FALSE(log.contains("renewed"));
}

namespace {

// A sysop's own self-signed pair, made as the openssl command makes one.
bool sysop_self_signed(const TlsFiles& files, int days) {
    std::string make = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=mine.example "
                       "-days " + std::to_string(days) + " -keyout '" + files.key + "' -out '" + files.cert +
                       "' >/dev/null 2>&1";
    return std::system(make.c_str()) == 0;
}

} // namespace

TEST_CASE("ISSUE13-review SMTP-85 tls setup: a sysop's own self-signed certificate at the default path is never replaced") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    auto files = tls_files(*cfg);
    int days = GENERATE(5, 3650);   // near its end, or longer than ours: both renewed were it ours
    if (!sysop_self_signed(files, days)) SBBS_SKIP("the openssl command cannot make a test certificate");
    auto facts = read_certificate_facts(files.cert);
    REQUIRE(facts.ok());
    CHECK(facts->self_signed);
    CHECK_FALSE(facts->generated);
    std::string cert = slurp(files.cert), key = slurp(files.key);
    REQUIRE(prepare_tls(*cfg, log).ok());
    CHECK(slurp(files.cert) == cert);
    CHECK(slurp(files.key) == key);
    CHECK_FALSE(log.contains("renewed"));
}

TEST_CASE("ISSUE13-review SMTP-85 tls setup: a generated pair is marked as ours and written whole, no temporary left") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    auto files = tls_files(*cfg);
    REQUIRE(prepare_tls(*cfg, log).ok());
    auto facts = read_certificate_facts(files.cert);
    REQUIRE(facts.ok());
    CHECK(facts->generated);
    CHECK(slurp(files.cert).find("END CERTIFICATE") != std::string::npos);
    CHECK(slurp(files.key).find("END PRIVATE KEY") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(files.cert + ".new"));
    CHECK_FALSE(std::filesystem::exists(files.key + ".new"));
}

TEST_CASE("ISSUE13-review SMTP-85 tls setup: a generation cut between its renames (new key, old certificate) is made again") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    auto files = tls_files(*cfg);
    REQUIRE(prepare_tls(*cfg, log).ok());
    // The key of another generated pair, as if a kill came after the key's rename.
    REQUIRE(generate_self_signed(dir.path() + "other.pem", dir.path() + "other.key", "other.example").ok());
    std::filesystem::copy_file(dir.path() + "other.key", files.key, std::filesystem::copy_options::overwrite_existing);
    REQUIRE_FALSE(TlsContext::from_pem(files.cert, files.key).ok());
    REQUIRE(prepare_tls(*cfg, log).ok());
    CHECK(log.contains("made again the self-signed certificate whose pair did not load"));
    CHECK(TlsContext::from_pem(files.cert, files.key).ok());
}

TEST_CASE("ISSUE13-review SMTP-85 tls setup: an unreadable certificate at the default path is left alone and named") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    auto files = tls_files(*cfg);
    REQUIRE(prepare_tls(*cfg, log).ok());
    std::string half = slurp(files.cert).substr(0, 300);   // whose it was cannot be told any more
    std::ofstream(files.cert, std::ios::trunc) << half;
    auto loaded = prepare_tls(*cfg, log);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().message.find(files.cert) != std::string::npos);
    CHECK(slurp(files.cert) == half);
}

namespace {

// A pair as releases before the mark wrote it: subject a lone CN, valid
// from an hour before it was made for `days` days.
bool legacy_pair(const TlsFiles& files, int days) {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    X509* cert = X509_new();
    bool ok = key && cert;
    if (ok) {
        X509_set_version(cert, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
        X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
        X509_gmtime_adj(X509_getm_notAfter(cert), long{days} * 24 * 3600);
        X509_set_pubkey(cert, key);
        X509_NAME* name = X509_get_subject_name(cert);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("old.example"), -1,
                                   -1, 0);
        X509_set_issuer_name(cert, name);
        ok = X509_sign(cert, key, EVP_sha256()) != 0;
    }
    if (ok) {
        FILE* kf = std::fopen(files.key.c_str(), "w");
        FILE* cf = std::fopen(files.cert.c_str(), "w");
        ok = kf && cf && PEM_write_PrivateKey(kf, key, nullptr, nullptr, 0, nullptr, nullptr) == 1 &&
             PEM_write_X509(cf, cert) == 1;
        if (kf) ok = std::fclose(kf) == 0 && ok;
        if (cf) ok = std::fclose(cf) == 0 && ok;
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    return ok;
}

} // namespace

TEST_CASE("ISSUE13-review ISSUE13-7 tls setup: an earlier release's unmarked 10-year pair is still recognised and renewed once") {
    test::TempDir dir;
    test::CaptureLogger log;
    auto cfg = test::loopback_config(dir.path(), true);
    auto files = tls_files(*cfg);
    REQUIRE(legacy_pair(files, 3650));
    auto facts = read_certificate_facts(files.cert);
    REQUIRE(facts.ok());
    CHECK(facts->generated);
    std::string old_cert = slurp(files.cert);
    REQUIRE(prepare_tls(*cfg, log).ok());
    CHECK(slurp(files.cert) != old_cert);
    CHECK(log.contains("too long"));
    auto renewed = read_certificate_facts(files.cert);
    REQUIRE(renewed.ok());
    CHECK(renewed->generated);
    CHECK(renewed->days_left <= kSelfSignedDays);
}
