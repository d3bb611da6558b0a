// The encodings SASL needs: base64 (RFC 4648) and HMAC-MD5 (RFC 2104, for
// CRAM-MD5, RFC 2195).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sbbs::smtp {

std::string base64_encode(std::string_view data);
// nullopt when `text` is not valid base64 (white space is not allowed).
std::optional<std::string> base64_decode(std::string_view text);
// Lower-case hex HMAC-MD5 of `message` keyed with `key`.
std::string hmac_md5_hex(std::string_view key, std::string_view message);

} // namespace sbbs::smtp
