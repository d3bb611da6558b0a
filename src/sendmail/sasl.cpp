// SASL client encodings: util/base64 and OpenSSL's HMAC-MD5.
#include "sendmail/sasl.h"

#include "util/base64.h"

#include <openssl/evp.h>

namespace sbbs::sasl {

std::string plain_response(const std::string& user, const std::string& password) {
    std::string raw = user;
    raw += '\0';
    raw += user;
    raw += '\0';
    raw += password;
    return base64_encode(raw);
}

std::string cram_md5_response(const std::string& user, const std::string& password,
                              std::string_view challenge_b64) {
    std::string challenge = base64_decode_lenient(challenge_b64);
    std::string key = password.size() >= 64 ? password.substr(0, 63) : password;
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t mac_len = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "MD5", nullptr, key.data(), key.size(),
                   reinterpret_cast<const unsigned char*>(challenge.data()), challenge.size(), mac,
                   sizeof mac, &mac_len))
        mac_len = 0;
    static const char hex[] = "0123456789abcdef";
    std::string text = user + ' ';
    for (size_t i = 0; i < mac_len; ++i) {
        text += hex[mac[i] >> 4];
        text += hex[mac[i] & 0xF];
    }
    return base64_encode(text);
}

} // namespace sbbs::sasl
