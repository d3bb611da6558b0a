// HMAC-MD5 for the CRAM-MD5 mechanism (see sasl.h); base64 lives in util.
#include "smtp/sasl.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace sbbs::smtp {

std::string hmac_md5_hex(std::string_view key, std::string_view message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_md5(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), digest, &len);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

} // namespace sbbs::smtp
