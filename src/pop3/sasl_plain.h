// SASL PLAIN (RFC 4616) for POP3 AUTH (RFC 5034): decoding the client's response.
#pragma once

#include "util/base64.h"

#include <optional>
#include <string>
#include <string_view>

namespace sbbs::pop3 {

struct PlainCredentials {
    std::string authzid, authcid, password;
};

using ::sbbs::base64_decode;
// "authzid NUL authcid NUL password" from the base64 response, or nullopt.
std::optional<PlainCredentials> decode_plain(std::string_view base64);

} // namespace sbbs::pop3
