// The answer parsers on raw reply messages built by hand, no name server:
// what each query type takes from an answer section and what it skips.
#include "dns/libresolv_resolver.h"

#include <catch.hpp>

#include <cstdint>
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

// A reply for example.com with the given (type, rdata) answers; each answer's
// owner is a pointer to the question name.
std::string reply(const std::vector<std::pair<unsigned, std::string>>& answers) {
    std::string m = u16(0x1234) + u16(0x8180) + u16(1) + u16(unsigned(answers.size())) + u16(0) + u16(0);
    m += wire_name({"example", "com"}) + u16(15) + u16(1);
    for (auto& [type, rdata] : answers)
        m += "\xC0\x0C" + u16(type) + u16(1) + std::string("\0\0\x01\x2C", 4) + u16(unsigned(rdata.size())) + rdata;
    return m;
}

} // namespace

TEST_CASE("SEND-35 an MX answer parsed from the raw reply: sorted, short records skipped", "[dns]") {
    auto r = parse_mx_answer(reply({{15, u16(20) + wire_name({"b", "example", "com"})},
                                    {15, u16(10) + wire_name({"a", "example", "com"})},
                                    {15, std::string("\0\0", 2)},      // too short for a name
                                    {1, std::string("\x7F\0\0\x01", 4)}}));
    REQUIRE(r.status == DnsStatus::Ok);
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].host == "a.example.com");
    CHECK(r.records[0].preference == 10);
    CHECK(r.records[1].host == "b.example.com");
}

TEST_CASE("SEND-35 a truncated DNS reply is a temporary failure, not a crash", "[dns]") {
    std::string m = reply({{15, u16(10) + wire_name({"a", "example", "com"})}});
    CHECK(parse_mx_answer(m.substr(0, m.size() - 5)).status == DnsStatus::TempFail);
    CHECK(parse_a_answer(m.substr(0, 7)).status == DnsStatus::NoData);
}

TEST_CASE("A, AAAA, PTR and the first A with its TTL from raw replies", "[dns]") {
    std::string m = reply({{1, std::string("\xC0\x00\x02\x01", 4)},
                           {28, std::string(15, '\0') + '\x01'},
                           {1, std::string("\x7F\0\0\x02", 4)},
                           {12, wire_name({"host", "example", "net"})}});
    std::vector<std::string> addrs;
    append_address_answer(m, addrs);
    CHECK(addrs == std::vector<std::string>{"192.0.2.1", "::1", "127.0.0.2"});
    auto a = parse_a_answer(m);
    REQUIRE(a.status == DnsStatus::Ok);
    CHECK(a.records == std::vector<std::string>{"192.0.2.1"});
    CHECK(a.ttl == 300);
    auto p = parse_ptr_answer(m);
    CHECK(p.records == std::vector<std::string>{"host.example.net"});
}
