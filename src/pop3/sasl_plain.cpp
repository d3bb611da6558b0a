// SASL PLAIN response decoding (RFC 4616, RFC 5034).
#include "pop3/sasl_plain.h"

#include <cstdint>

namespace sbbs::pop3 {

std::optional<PlainCredentials> decode_plain(std::string_view base64) {
    auto raw = base64_decode(base64);
    if (!raw) return std::nullopt;
    size_t a = raw->find('\0');
    if (a == std::string::npos) return std::nullopt;
    size_t b = raw->find('\0', a + 1);
    if (b == std::string::npos || raw->find('\0', b + 1) != std::string::npos) return std::nullopt;
    PlainCredentials c{raw->substr(0, a), raw->substr(a + 1, b - a - 1), raw->substr(b + 1)};
    if (c.authcid.empty()) return std::nullopt;
    return c;
}

} // namespace sbbs::pop3
