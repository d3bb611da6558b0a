// Organizational domains through libopendmarc's PSL table (see org_domain.h).
#include "auth/org_domain.h"

#include <opendmarc/dmarc.h>

#include <mutex>
#include <string>

// Exported by libopendmarc and used by its own milter, but not declared in
// its public header.
extern "C" int opendmarc_get_tld(u_char* domain, u_char* tld, size_t tld_len);

namespace sbbs::auth {

bool public_suffix_list_loaded() {
    static std::once_flag once;
    static bool loaded = false;
    std::call_once(once, [] {
        std::string path = kPublicSuffixList;
        // The list's own syntax: "//" comments, "*." wildcards, "!" exceptions.
        loaded = opendmarc_tld_read_file(path.data(), const_cast<char*>("//"), const_cast<char*>("*."),
                                         const_cast<char*>("!")) == 0;
    });
    return loaded;
}

std::string organizational_domain(std::string_view domain) {
    std::string d(domain);
    if (d.empty() || !public_suffix_list_loaded()) return d;
    u_char out[256] = {};
    if (opendmarc_get_tld(reinterpret_cast<u_char*>(d.data()), out, sizeof out) != 0) return d;
    std::string org(reinterpret_cast<char*>(out));
    if (!org.empty()) return org;
    // Not under any listed suffix (an unknown TLD): the default rule "*"
    // makes the last label the suffix, so two labels are the organization.
    auto last = d.rfind('.');
    if (last == std::string::npos) return d;
    auto before = d.rfind('.', last - 1);
    return before == std::string::npos ? d : d.substr(before + 1);
}

} // namespace sbbs::auth
