// libFuzzer target for the list files: ctrl/*.can, the relay/domain/spam
// lists with their metadata (t=, e=, ...), alias.cfg and dns_blacklist.cfg.
// The first input line is the string matched against the list.
#include "config/alias_table.h"
#include "config/dnsbl_list.h"
#include "config/list_file.h"
#include "config/pattern_list.h"

#include <cstdint>
#include <string>

using namespace sbbs;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    size_t nl = in.find('\n');
    std::string_view probe = nl == std::string_view::npos ? in : in.substr(0, nl);
    std::string_view text = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
    if (probe.size() > 256) probe = probe.substr(0, 256);

    Diagnostics diags;
    PatternList list = PatternList::parse(text, "fuzz.can", &diags);
    (void)list.find(probe, "host.example.com", 1700000000);
    (void)list.decide(probe);
    for (auto& e : list.entries()) {
        (void)e.expires();
        (void)e.quiet();
        (void)entry_details(e);
        (void)pattern_matches(e.pattern, probe);
    }
    (void)split_list_lines(text, 1024, "fuzz.cfg", &diags);
    AliasTable aliases = AliasTable::parse(text, "alias.cfg", &diags);
    (void)aliases.lookup(probe);
    (void)parse_dnsbl_list(text, "dns_blacklist.cfg", &diags);
    return 0;
}
