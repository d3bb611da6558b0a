// SASL client encodings with OpenSSL's base64 and HMAC-MD5.
#include "sendmail/sasl.h"

#include <openssl/evp.h>

#include <vector>

namespace sbbs::sasl {

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()));
    out.resize(size_t(n < 0 ? 0 : n));
    return out;
}

std::string base64_decode(std::string_view text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r' || text.back() == '\n')) text.remove_suffix(1);
    if (text.empty() || text.size() % 4) return {};
    std::string out(3 * text.size() / 4 + 1, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
    if (n < 0) return {};
    size_t len = size_t(n);
    // EVP_DecodeBlock counts the padding as zero bytes.
    for (size_t i = text.size(); i > 0 && text[i - 1] == '=' && len > 0; --i) --len;
    out.resize(len);
    return out;
}

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
    std::string challenge = base64_decode(challenge_b64);
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
