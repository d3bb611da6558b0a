// The client side of AUTH PLAIN / LOGIN / CRAM-MD5 (SEND-55..57): the
// encodings only; the dialogue decides when to send them. base64 itself is
// util/base64.h.
#pragma once

#include <string>
#include <string_view>

namespace sbbs::sasl {

// base64(user NUL user NUL password)
std::string plain_response(const std::string& user, const std::string& password);
// base64("<user> <hex HMAC-MD5(password, challenge)>"), `challenge_b64`
// being the text after "334 ". Passwords of 64+ characters are cut to 63.
std::string cram_md5_response(const std::string& user, const std::string& password,
                              std::string_view challenge_b64);

} // namespace sbbs::sasl
