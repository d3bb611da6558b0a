// The "utf-8" addr-type of ORCPT (RFC 6533 3): utf-8-addr-xtext (ASCII,
// non-ASCII characters as "\x{HEX}") and utf-8-addr-unitext (raw UTF-8, only
// in an SMTPUTF8 transaction).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sbbs::dsn {

// The address as UTF-8; nullopt when `v` is neither form (raw UTF-8 only
// when `unitext` is allowed), or decodes to a control character.
std::optional<std::string> utf8_addr_decode(std::string_view v, bool unitext);
// utf-8-addr-xtext: QCHAR as is, every other character as "\x{HEX}". ASCII
// only, so it is what we store and what any next hop may be sent.
std::string utf8_addr_encode(std::string_view utf8);

} // namespace sbbs::dsn
