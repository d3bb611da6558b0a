// APOP timestamp and digest (POP3-19, POP3-38).
#include "pop3/apop.h"

#include "util/strings.h"

#include <openssl/evp.h>

#include <cstdio>

namespace sbbs::pop3 {

std::string apop_timestamp(uint32_t random, uint32_t socket, uint64_t unix_time, uint64_t clock,
                           std::string_view host) {
    char buf[80];
    std::snprintf(buf, sizeof buf, "<%x%x%llx%llx@", unsigned(random), unsigned(socket),
                  static_cast<unsigned long long>(unix_time), static_cast<unsigned long long>(clock));
    return buf + std::string(host.substr(0, 128)) + ">";
}

std::string md5_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
    std::string hex;
    char two[3];
    for (unsigned i = 0; i < len; ++i) {
        std::snprintf(two, sizeof two, "%02x", digest[i]);
        hex += two;
    }
    return hex;
}

std::string apop_digest(std::string_view timestamp, std::string_view password) {
    return md5_hex(std::string(timestamp) + to_lower(password));
}

} // namespace sbbs::pop3
