// base64 (RFC 4648) as SASL and MIME need it; one copy for every protocol.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sbbs {

std::string base64_encode(std::string_view data);
// nullopt when `text` is not valid base64 (white space is not allowed).
std::optional<std::string> base64_decode(std::string_view text);
// For text taken from a reply line (e.g. a SASL challenge after "334 "):
// surrounding spaces, tabs, CR and LF are ignored, and "" stands for
// anything that is not valid base64.
std::string base64_decode_lenient(std::string_view text);

} // namespace sbbs
