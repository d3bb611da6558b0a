// A Resolver double serving TXT records from a table, counting look-ups;
// names not in the table answer NXDOMAIN, names marked down answer TempFail.
#pragma once

#include "dns/resolver.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace sbbs::test {

struct TxtResolver : Resolver {
    std::map<std::string, std::vector<std::string>> table;   // name -> its TXT records
    std::set<std::string> down;          // TempFail (a DNS server that does not answer)
    std::map<std::string, int> queries;
    uint32_t ttl = 300;

    void set(const std::string& name, const std::string& record) { table[name] = {record}; }
    DnsAnswer<MxRecord> mx(const std::string&) override { return {}; }
    DnsAnswer<std::string> addresses(const std::string&) override { return {}; }
    DnsAnswer<std::string> ptr(const std::string&) override { return {}; }
    DnsAnswer<std::string> a(const std::string&) override { return {}; }
    DnsAnswer<std::string> records(const std::string& name, DnsType type) override {
        if (type != DnsType::Txt) return {DnsStatus::NoData, {}, ""};
        ++queries[name];
        if (down.count(name)) return {DnsStatus::TempFail, {}, "timeout"};
        auto it = table.find(name);
        if (it == table.end()) return {DnsStatus::NxDomain, {}, ""};
        return {DnsStatus::Ok, it->second, "", ttl};
    }
};

} // namespace sbbs::test
