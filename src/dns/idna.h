// IDNA domain names (RFC 5890/5891 through libidn2): the A-label form that
// DNS and ASCII peers need, the U-label form people write, and a comparison
// under which the two forms of one name are equal (RFC 6531 3.3).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sbbs {

// True when `s` has a byte >= 0x80.
bool has_8bit(std::string_view s);

// The A-label ("xn--") form of `domain`, lower-cased; an ASCII name comes
// back lower-cased as it is. nullopt: not a valid IDNA2008 name.
std::optional<std::string> domain_to_ascii(std::string_view domain);

// The U-label form of `domain` (A-labels decoded); nullopt when invalid.
std::optional<std::string> domain_to_unicode(std::string_view domain);

// `a` and `b` name the same domain: equal ignoring ASCII case, or equal
// once both are in A-label form (so "bücher.example" == "xn--bcher-kva.example").
bool same_domain(std::string_view a, std::string_view b);

} // namespace sbbs
