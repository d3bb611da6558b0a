// Signed test mail for the DKIM verifier: fresh RSA keys made
// in-process with OpenSSL, messages signed by libopendkim's RSA signer with
// the tags a test asks for (c=, l=, i=, x=, t=).
#pragma once

#include "auth/opendkim.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <sys/types.h>

namespace sbbs::test {

struct TestKey {
    std::string pem;        // private key, PEM
    std::string record;     // the TXT record publishing it: "v=DKIM1; k=...; p=..."
};

inline std::string b64(const unsigned char* p, size_t n) {
    std::string out(4 * ((n + 2) / 3) + 1, '\0');
    int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), p, int(n));
    out.resize(size_t(len));
    return out;
}

// RSA of `bits` (1024 is the least RFC 8301 accepts). Ed25519 mail is signed
// by python3-dkim instead: libopendkim's ed25519 signer leaks (python_dkim.h).
inline TestKey make_test_key(int bits) {
    std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr),
                                                             EVP_PKEY_CTX_free);
    EVP_PKEY* raw = nullptr;
    REQUIRE(EVP_PKEY_keygen_init(ctx.get()) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) == 1);
    REQUIRE(EVP_PKEY_keygen(ctx.get(), &raw) == 1);
    std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(raw, EVP_PKEY_free);
    std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new(BIO_s_mem()), BIO_free);
    REQUIRE(PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    TestKey k{std::string(data, size_t(n)), ""};
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(key.get(), &der);
    k.record = "v=DKIM1; k=rsa; p=" + b64(der, size_t(len));
    OPENSSL_free(der);
    return k;
}

inline const TestKey& rsa_key() {
    static const TestKey k = make_test_key(1024);
    return k;
}

struct SignOptions {
    std::string domain = "example.com";
    std::string selector = "s1";
    bool relaxed = true;            // c=relaxed/relaxed, else simple/simple
    ssize_t length = -1;            // l=, -1 for none
    std::string identity;           // i=, "" for none
    uint64_t time = 0;              // t=, 0 for now
    uint64_t ttl = 0;               // x= = t= + ttl, 0 for none
};

// The DKIM-Signature field (with CRLF) libopendkim makes for `message`.
inline std::string dkim_signature(const std::string& message, const TestKey& key, const SignOptions& o = {}) {
    std::unique_ptr<DKIM_LIB, void (*)(DKIM_LIB*)> lib(dkim_init(nullptr, nullptr), dkim_close);
    REQUIRE(lib);
    uint64_t t = o.time;
    dkim_options(lib.get(), DKIM_OP_SETOPT, DKIM_OPTS_FIXEDTIME, &t, sizeof t);
    if (o.ttl) {
        uint64_t ttl = o.ttl;
        dkim_options(lib.get(), DKIM_OP_SETOPT, DKIM_OPTS_SIGNATURETTL, &ttl, sizeof ttl);
    }
    DKIM_STAT st = DKIM_STAT_OK;
    dkim_canon_t canon = o.relaxed ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
    std::unique_ptr<DKIM, DKIM_STAT (*)(DKIM*)> d(
        dkim_sign(lib.get(), reinterpret_cast<const u_char*>("test"), nullptr,
                  reinterpret_cast<u_char*>(const_cast<char*>(key.pem.c_str())),
                  reinterpret_cast<const u_char*>(o.selector.c_str()),
                  reinterpret_cast<const u_char*>(o.domain.c_str()), canon, canon,
                  DKIM_SIGN_RSASHA256, o.length, &st),
        dkim_free);
    REQUIRE(d);
    if (!o.identity.empty()) dkim_set_signer(d.get(), reinterpret_cast<const u_char*>(o.identity.c_str()));
    auto* bytes = reinterpret_cast<u_char*>(const_cast<char*>(message.data()));
    REQUIRE(dkim_chunk(d.get(), bytes, message.size()) == DKIM_STAT_OK);
    REQUIRE(dkim_chunk(d.get(), nullptr, 0) == DKIM_STAT_OK);
    REQUIRE(dkim_eom(d.get(), nullptr) == DKIM_STAT_OK);
    u_char* hdr = nullptr;
    size_t len = 0;
    REQUIRE(dkim_getsighdr_d(d.get(), sizeof DKIM_SIGNHEADER + 1, &hdr, &len) == DKIM_STAT_OK);
    return std::string(DKIM_SIGNHEADER) + ": " + std::string(reinterpret_cast<char*>(hdr), len) + "\r\n";
}

inline std::string sample_message() {
    return "From: Joe <joe@example.com>\r\n"
           "To: Sue <sue@bbs.test>\r\n"
           "Subject: Is dinner ready?\r\n"
           "Date: Fri, 11 Jul 2003 21:00:37 -0700\r\n"
           "Message-ID: <1.2@example.com>\r\n"
           "\r\n"
           "Hi.\r\n"
           "\r\n"
           "We lost the game.  Are you hungry yet?\r\n";
}

} // namespace sbbs::test
