// Organizational domains (RFC 7489 3.2) from the Public Suffix List Debian
// ships (package publicsuffix), read once by libopendmarc.
#pragma once

#include <string>
#include <string_view>

namespace sbbs::auth {

inline constexpr const char* kPublicSuffixList = "/usr/share/publicsuffix/public_suffix_list.dat";

// Loads the list on first use (thread-safe); false when it cannot be read,
// after which every domain is its own organizational domain.
bool public_suffix_list_loaded();

// "mail.example.co.uk" -> "example.co.uk"; a domain under a suffix the list
// does not know takes the PSL's default rule "*" (one label more than the
// last). `domain` in lower case, without a trailing dot.
std::string organizational_domain(std::string_view domain);

} // namespace sbbs::auth
