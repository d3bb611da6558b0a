// The POP3 client's host name from a reverse look-up.
#include "dns/client_host.h"

#include <catch.hpp>

#include <map>

using namespace sbbs;

namespace {

struct PtrOnlyResolver : Resolver {
    std::map<std::string, DnsAnswer<std::string>> answers;
    std::vector<std::string> asked;
    DnsAnswer<MxRecord> mx(const std::string&) override { return {}; }
    DnsAnswer<std::string> addresses(const std::string&) override { return {}; }
    DnsAnswer<std::string> a(const std::string&) override { return {}; }
    DnsAnswer<std::string> ptr(const std::string& ip) override {
        asked.push_back(ip);
        auto it = answers.find(ip);
        return it == answers.end() ? DnsAnswer<std::string>{DnsStatus::NxDomain, {}, ""} : it->second;
    }
};

} // namespace

TEST_CASE("POP3-14 the client's address is reverse-resolved; no name gives <no name>", "[dns]") {
    PtrOnlyResolver dns;
    dns.answers["127.0.0.5"] = {DnsStatus::Ok, {"client.example.net", "alias.example.net"}, ""};
    dns.answers["127.0.0.6"] = {DnsStatus::TempFail, {}, "timed out"};
    dns.answers["127.0.0.7"] = {DnsStatus::Ok, {}, ""};
    CHECK(client_host_name(&dns, "127.0.0.5") == "client.example.net");
    CHECK(client_host_name(&dns, "127.0.0.6") == "<no name>");
    CHECK(client_host_name(&dns, "127.0.0.7") == "<no name>");
    CHECK(client_host_name(&dns, "127.0.0.8") == "<no name>");
    CHECK(dns.asked == std::vector<std::string>{"127.0.0.5", "127.0.0.6", "127.0.0.7", "127.0.0.8"});
}

TEST_CASE("POP3-14 with NO_HOST_LOOKUP (no resolver) nothing is looked up", "[dns]") {
    CHECK(client_host_name(nullptr, "127.0.0.5") == "<no name>");
}
