// ctrl/dns_blacklist.cfg file format (CFG-140): one DNSBL zone per line,
// first word only; the lookups themselves belong to the dns module.
#pragma once

#include "config/diagnostic.h"

#include <string>
#include <string_view>
#include <vector>

namespace sbbs {

struct DnsblZone {
    std::string zone;         // the first word of the line
    std::string description;  // the whole line (at most 100 bytes), as the original logs it
    int line = 0;
};

// In file order; ';' and blank lines skipped; lines over 255 bytes are
// split as the original does, with a Diagnostic. A missing file = no zones.
std::vector<DnsblZone> parse_dnsbl_list(std::string_view text, const std::string& file, Diagnostics* diags);
std::vector<DnsblZone> load_dnsbl_list(const std::string& path, Diagnostics* diags);

} // namespace sbbs
