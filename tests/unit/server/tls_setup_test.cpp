// TLS material: generated on first start under ctrl/, reused later, or configured.
#include "server/tls_setup.h"
#include "server_test_support.h"

#include <catch.hpp>

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
