// SMTPUTF8 on the sending side (RFC 6531 3.4, 3.7.4.1): does a transaction
// need the extension, and what an ASCII-only peer may still be given.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::smtputf8 {

// The header part of `text` (up to the first empty line) holds non-ASCII
// UTF-8 (RFC 6532 raw fields). 8-bit bytes that are not UTF-8 (a legacy
// CP437 field) do not count: such mail went out as before.
bool utf8_header(std::string_view text);

// `address` (in <>) with its domain in A-label form when only the domain is
// non-ASCII (RFC 6531 3.3 lets an ASCII peer have it so); nullopt when the
// local part is non-ASCII or the domain is no valid IDNA name.
std::optional<std::string> ascii_address(const std::string& address);

// What one transaction needs of its peer.
struct Plan {
    bool needs_smtputf8 = false;            // MAIL ... SMTPUTF8, or a bounce if not offered
    std::string from;                       // MAIL FROM argument to use without SMTPUTF8
    std::vector<std::string> to;            // RCPT TO arguments to use without SMTPUTF8
};
Plan plan(const std::string& from, const std::vector<std::string>& to, std::string_view text);

} // namespace sbbs::smtputf8
