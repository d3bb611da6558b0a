// The encodings SASL needs: base64 (RFC 4648) and HMAC-MD5 (RFC 2104, for
// CRAM-MD5, RFC 2195).
#pragma once

#include "util/base64.h"

#include <optional>
#include <string>
#include <string_view>

namespace sbbs::smtp {

using ::sbbs::base64_decode;
using ::sbbs::base64_encode;
// Lower-case hex HMAC-MD5 of `message` keyed with `key`.
std::string hmac_md5_hex(std::string_view key, std::string_view message);

} // namespace sbbs::smtp
