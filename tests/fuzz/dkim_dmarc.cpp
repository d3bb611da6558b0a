// libFuzzer target for inbound DKIM and DMARC: a received message (any
// DKIM-Signature fields, From fields) verified by libopendkim against a key
// record the input also chooses, then judged by DMARC against a policy
// record of its own. No network: a resolver double answers.
#include "auth/dkim_dmarc_step.h"
#include "unit/auth/txt_resolver.h"

#include <cstdint>
#include <string>

using namespace sbbs;

namespace {

// Every TXT name answers the same record, so every signature reaches the
// key parser; "_dmarc." names get the policy record instead.
struct AnyName : test::TxtResolver {
    std::string key, policy;
    DnsAnswer<std::string> records(const std::string& name, DnsType) override {
        return {DnsStatus::Ok, {name.rfind("_dmarc.", 0) == 0 ? policy : key}, "", 300};
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 256 * 1024) return 0;
    std::string in(reinterpret_cast<const char*>(data), size);
    // Input: key record, NUL, policy record, NUL, message.
    AnyName dns;
    size_t a = in.find('\0');
    size_t b = a == std::string::npos ? a : in.find('\0', a + 1);
    std::string message = in;
    if (b != std::string::npos) {
        dns.key = in.substr(0, a);
        dns.policy = in.substr(a + 1, b - a - 1);
        message = in.substr(b + 1);
    }
    auth::MessageAuthentication result;
    auth::DkimDmarcStep(dns, nullptr, [] { return 0u; }).run(message, result);
    return 0;
}
