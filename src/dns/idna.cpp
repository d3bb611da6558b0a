// IDNA conversions through libidn2 (see idna.h).
#include "dns/idna.h"

#include "util/strings.h"

#include <idn2.h>

#include <cstdlib>
#include <memory>

namespace sbbs {
namespace {

struct IdnFree {
    void operator()(char* p) const { idn2_free(p); }
};
using IdnString = std::unique_ptr<char, IdnFree>;

bool has_a_label(std::string_view s) {
    std::string lower = to_lower(s);
    return lower.rfind("xn--", 0) == 0 || lower.find(".xn--") != std::string::npos;
}

} // namespace

bool has_8bit(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return true;
    return false;
}

std::optional<std::string> domain_to_ascii(std::string_view domain) {
    if (!has_8bit(domain)) return to_lower(domain);
    std::string in(domain);            // NUL-terminated for libidn2
    char* out = nullptr;
    // Non-transitional (IDNA2008 as written) with UTS#46 mapping, so "Bücher"
    // and "bücher" give one A-label, as every major MTA and browser does.
    int rc = idn2_to_ascii_8z(in.c_str(), &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    IdnString owned(out);
    if (rc != IDN2_OK || !out) return std::nullopt;
    return to_lower(owned.get());
}

std::optional<std::string> domain_to_unicode(std::string_view domain) {
    if (!has_a_label(domain)) return std::string(domain);
    std::string in(domain);
    char* out = nullptr;
    int rc = idn2_to_unicode_8z8z(in.c_str(), &out, 0);
    IdnString owned(out);
    if (rc != IDN2_OK || !out) return std::nullopt;
    return std::string(owned.get());
}

bool same_domain(std::string_view a, std::string_view b) {
    if (iequals(a, b)) return true;
    if (!has_8bit(a) && !has_8bit(b)) return false;     // two ASCII names: case only
    auto ka = domain_to_ascii(a), kb = domain_to_ascii(b);
    return ka && kb && *ka == *kb;
}

} // namespace sbbs
