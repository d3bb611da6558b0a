// libFuzzer target for DNS answers: a raw reply message as a name server
// sends it, parsed the way each query type reads it (MX, A/AAAA, PTR, A
// with TTL, TXT). No network: the parsers take the message bytes.
#include "dns/libresolv_resolver.h"

#include <cstdint>
#include <string>

using namespace sbbs;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 65535) return 0;   // a DNS message over TCP is at most this long
    std::string msg(reinterpret_cast<const char*>(data), size);
    for (DnsType t : {DnsType::A, DnsType::Aaaa, DnsType::Mx, DnsType::Ptr, DnsType::Txt})
        (void)parse_records_answer(msg, t);         // every type SPF asks (records())
    (void)parse_mx_answer(msg);
    std::vector<std::string> addrs;
    append_address_answer(msg, addrs);
    (void)parse_ptr_answer(msg);
    (void)parse_a_answer(msg);
    (void)parse_txt_answer(msg);
    return 0;
}
