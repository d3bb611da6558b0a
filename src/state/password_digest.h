// The only form in which an attempted password is kept: a salted SHA-256,
// enough to tell "the same password again" (SMTP-77 duplicates) and useless
// for reading the password back.
#pragma once

#include <string>
#include <string_view>

namespace sbbs {

// 32 raw bytes.
std::string password_digest(std::string_view salt, std::string_view password);

} // namespace sbbs
