// SASL PLAIN (RFC 4616) for POP3 AUTH (RFC 5034): decoding the client's response.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sbbs::pop3 {

struct PlainCredentials {
    std::string authzid, authcid, password;
};

// Decode base64 text; nullopt when it is not valid base64.
std::optional<std::string> base64_decode(std::string_view text);
// "authzid NUL authcid NUL password" from the base64 response, or nullopt.
std::optional<PlainCredentials> decode_plain(std::string_view base64);

} // namespace sbbs::pop3
