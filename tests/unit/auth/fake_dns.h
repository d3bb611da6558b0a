// A Resolver answering records() from a table the test fills, counting the
// queries it is asked; anything not in the table is NXDOMAIN.
#pragma once

#include "dns/resolver.h"

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sbbs::test {

class FakeDns : public Resolver {
public:
    void txt(const std::string& name, std::vector<std::string> v) { set(name, DnsType::Txt, std::move(v)); }
    void a(const std::string& name, std::vector<std::string> v) { set(name, DnsType::A, std::move(v)); }
    void aaaa(const std::string& name, std::vector<std::string> v) { set(name, DnsType::Aaaa, std::move(v)); }
    void mx(const std::string& name, std::vector<std::string> v) { set(name, DnsType::Mx, std::move(v)); }
    void ptr(const std::string& name, std::vector<std::string> v) { set(name, DnsType::Ptr, std::move(v)); }
    void fail(const std::string& name, DnsType t) { table_[{name, t}] = {DnsStatus::TempFail, {}, "SERVFAIL", 0}; }
    unsigned queries = 0;
    std::function<void()> on_query;     // e.g. moves the test's clock: a query that takes time

    DnsAnswer<std::string> records(const std::string& name, DnsType type) override {
        ++queries;
        if (on_query) on_query();
        auto it = table_.find({name, type});
        if (it != table_.end()) return it->second;
        for (auto& [key, answer] : table_)
            if (key.first == name) return {DnsStatus::NoData, {}, "", 0};   // the name exists
        return {DnsStatus::NxDomain, {}, "", 0};
    }
    DnsAnswer<MxRecord> mx(const std::string&) override { return {}; }
    DnsAnswer<std::string> addresses(const std::string&) override { return {}; }
    DnsAnswer<std::string> ptr(const std::string&) override { return {}; }
    DnsAnswer<std::string> a(const std::string&) override { return {}; }

private:
    void set(const std::string& name, DnsType t, std::vector<std::string> v) {
        table_[{name, t}] = {DnsStatus::Ok, std::move(v), "", 3600};
    }
    std::map<std::pair<std::string, DnsType>, DnsAnswer<std::string>> table_;
};

} // namespace sbbs::test
