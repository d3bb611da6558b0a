// libFuzzer target for SPF records: hostile TXT records (the domain's own,
// one it includes and one it redirects to, split at NUL bytes) evaluated
// through libspf2 with our DNS layer, every other name answering NXDOMAIN
// or, for A look-ups, one address. The records come from DNS anyone
// controls, so libspf2's parser and macro expansion must survive anything.
#include "auth/spf_check.h"

#include <cstdint>
#include <string>
#include <vector>

using namespace sbbs;

namespace {

class FuzzDns : public Resolver {
public:
    std::vector<std::string> txts;          // example.org, inc.example, red.example
    DnsAnswer<std::string> records(const std::string& name, DnsType type) override {
        static const char* names[] = {"example.org", "inc.example", "red.example"};
        if (type == DnsType::Txt)
            for (size_t i = 0; i < txts.size() && i < 3; ++i)
                if (name == names[i]) return {DnsStatus::Ok, {txts[i]}, "", 60};
        if (type == DnsType::A && name.size() % 2) return {DnsStatus::Ok, {"192.0.2.1"}, "", 60};
        if (type == DnsType::Mx && name.size() % 3 == 0) return {DnsStatus::Ok, {"10 mx.example.org"}, "", 60};
        return {DnsStatus::NxDomain, {}, "", 0};
    }
    DnsAnswer<MxRecord> mx(const std::string&) override { return {}; }
    DnsAnswer<std::string> addresses(const std::string&) override { return {}; }
    DnsAnswer<std::string> ptr(const std::string&) override { return {}; }
    DnsAnswer<std::string> a(const std::string&) override { return {}; }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 4096) return 0;               // a TXT answer over UDP is far smaller
    FuzzDns dns;
    std::string in(reinterpret_cast<const char*>(data), size), part;
    for (char c : in) {
        if (c == '\0') { dns.txts.push_back(part); part.clear(); }
        else part += c;
    }
    dns.txts.push_back(part);
    auth::SpfChecker checker(dns, nullptr);
    (void)checker.check_mail_from({"192.0.2.1", "mx.example.net", "a.b-c+d@example.org", "bbs.example"});
    (void)checker.check_mail_from({"2001:db8::1", "mx.example.net", "x@example.org", "bbs.example"});
    return 0;
}
