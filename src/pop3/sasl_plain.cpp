// SASL PLAIN response decoding (RFC 4616, RFC 5034).
#include "pop3/sasl_plain.h"

#include <cstdint>

namespace sbbs::pop3 {

namespace {
int sextet(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}
} // namespace

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out;
    for (size_t i = 0; i < text.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            char c = text[i + k];
            if (c == '=' && i + 4 == text.size() && k >= 2) { v[k] = 0; ++pad; continue; }
            if (pad || (v[k] = sextet(c)) < 0) return std::nullopt;
        }
        uint32_t n = uint32_t(v[0]) << 18 | uint32_t(v[1]) << 12 | uint32_t(v[2]) << 6 | uint32_t(v[3]);
        out += char(n >> 16);
        if (pad < 2) out += char((n >> 8) & 0xFF);
        if (pad < 1) out += char(n & 0xFF);
    }
    return out;
}

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
