// records(), the look-up SPF makes, on raw reply messages built by hand:
// every record of the asked type, TXT strings joined, the smallest TTL.
#include "dns/libresolv_resolver.h"

#include <catch.hpp>

#include <string>
#include <vector>

using namespace sbbs;

namespace {

std::string wire_name(const std::vector<std::string>& labels) {
    std::string out;
    for (auto& l : labels) out += char(l.size()) + l;
    return out + '\0';
}

std::string u16(unsigned v) { return {char(v >> 8), char(v & 0xFF)}; }

// A reply for example.com with the given (type, rdata) answers, TTL 300.
std::string reply(const std::vector<std::pair<unsigned, std::string>>& answers) {
    std::string m = u16(0x1234) + u16(0x8180) + u16(1) + u16(unsigned(answers.size())) + u16(0) + u16(0);
    m += wire_name({"example", "com"}) + u16(16) + u16(1);
    for (auto& [type, rdata] : answers)
        m += "\xC0\x0C" + u16(type) + u16(1) + std::string("\0\0\x01\x2C", 4) + u16(unsigned(rdata.size())) + rdata;
    return m;
}

} // namespace

TEST_CASE("RFC7208-3.3 records(): TXT strings joined, every A kept, the smallest TTL, other types skipped", "[dns]") {
    std::string m = reply({{16, std::string("\x07v=spf1 \x04" "-all", 13)},
                           {16, std::string("\x03" "abc", 4)},
                           {1, std::string("\xC0\x00\x02\x01", 4)}});
    auto txt = parse_records_answer(m, DnsType::Txt);
    REQUIRE(txt.status == DnsStatus::Ok);
    CHECK(txt.records == std::vector<std::string>{"v=spf1 -all", "abc"});
    CHECK(txt.ttl == 300);
    auto a = parse_records_answer(m, DnsType::A);
    CHECK(a.records == std::vector<std::string>{"192.0.2.1"});
    auto mx = parse_records_answer(reply({{15, u16(10) + wire_name({"a", "example", "com"})}}), DnsType::Mx);
    CHECK(mx.records == std::vector<std::string>{"10 a.example.com"});
    CHECK(parse_records_answer(m, DnsType::Aaaa).status == DnsStatus::NoData);
    CHECK(parse_records_answer(m.substr(0, m.size() - 3), DnsType::Txt).status == DnsStatus::TempFail);
}
