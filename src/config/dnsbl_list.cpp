// ctrl/dns_blacklist.cfg reading (see dnsbl_list.h).
#include "config/dnsbl_list.h"

#include "config/list_file.h"
#include "util/strings.h"

namespace sbbs {

std::vector<DnsblZone> parse_dnsbl_list(std::string_view text, const std::string& file, Diagnostics* diags) {
    std::vector<DnsblZone> zones;
    for (const ListLine& l : split_list_lines(text, 255, file, diags)) {
        std::string_view p = trim(l.text);
        if (p.empty() || p.front() == ';') continue;
        size_t end = p.find_first_of(" \t\r\n\v\f");
        zones.push_back({std::string(p.substr(0, end)), std::string(p.substr(0, 100)), l.line});
    }
    return zones;
}

std::vector<DnsblZone> load_dnsbl_list(const std::string& path, Diagnostics* diags) {
    auto text = read_list_file(path, diags);
    return text ? parse_dnsbl_list(*text, path, diags) : std::vector<DnsblZone>{};
}

} // namespace sbbs
