// Salted SHA-256 of attempted passwords (OpenSSL).
#include "state/password_digest.h"

#include <openssl/evp.h>

#include <memory>

namespace sbbs {

std::string password_digest(std::string_view salt, std::string_view password) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), salt.data(), salt.size()) != 1 ||
        EVP_DigestUpdate(ctx.get(), password.data(), password.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), out, &len) != 1)
        return {};  // unreachable with a working libcrypto; compares unequal to any real digest
    return std::string(reinterpret_cast<const char*>(out), len);
}

} // namespace sbbs
